import { checkAdfDocument } from './adf-validator';
import {
  ADF_MESSAGE,
  applyUpdateOperations,
  changeItem,
  isEmptyValue,
  notOnScreenMessage,
  parseFieldValue,
  requiredMessage,
  sameValue,
} from './field-values';
import { badRequest, JiraHttpError } from './jira-error';
import type { JiraSite } from './jira-site';
import { valueText } from './value-text';
import { buildProductEvent, actorAccountId } from './product-events';
import type {
  JiraActor,
  JiraChangeItem,
  JiraCommentRecord,
  JiraIssueRecord,
  JiraProductEvent,
  JiraProjectRecord,
  JiraScreenRecord,
} from './types';

/**
 * Layer 3 (issue part): create, edit, transition, delete, comments and entity properties with
 * Jira's rules, and the product events each successful write emits.
 */

export const PROPERTY_VALUE_LIMIT = 32_768;
export const PROPERTY_KEY_LIMIT = 255;

export interface WriteResult {
  issue: JiraIssueRecord;
  events: JiraProductEvent[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveProject(site: JiraSite, raw: unknown): JiraProjectRecord | undefined {
  if (typeof raw === 'string') return site.project(raw);
  if (!isRecord(raw)) return undefined;
  if (typeof raw['id'] === 'string' || typeof raw['id'] === 'number')
    return site.state.projects.find((p) => p.id === String(raw['id']));
  if (typeof raw['key'] === 'string') return site.project(raw['key']);
  return undefined;
}

/** Checks and collects `properties: [{key, value}]` of a create/edit body. */
export function parseEntityProperties(raw: unknown): Array<{ key: string; value: unknown }> {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new JiraHttpError(400, ['properties must be a list of {key, value}']);
  return raw.map((p) => {
    if (!isRecord(p) || typeof p['key'] !== 'string' || !('value' in p))
      throw new JiraHttpError(400, ['Each property needs a key and a value.']);
    checkProperty(p['key'], JSON.stringify(p['value']));
    return { key: p['key'], value: p['value'] };
  });
}

export function checkProperty(key: string, serialisedValue: string | undefined): void {
  if (key.length === 0) throw new JiraHttpError(400, ['The property key cannot be empty.']);
  if (key.length > PROPERTY_KEY_LIMIT)
    throw new JiraHttpError(400, [`The property key cannot be longer than ${PROPERTY_KEY_LIMIT} characters.`]);
  if (serialisedValue === undefined)
    throw new JiraHttpError(400, ['The property value must be a valid, non-empty JSON value.']);
  if (serialisedValue.length > PROPERTY_VALUE_LIMIT) {
    throw new JiraHttpError(400, [
      `The property value has exceeded the maximum size of ${PROPERTY_VALUE_LIMIT} characters.`,
    ]);
  }
}

/**
 * Collects field values from `fields` and `update` for one screen. Errors go into `errors` keyed
 * by field id; values are returned in stored form.
 */
function collectScreenValues(
  site: JiraSite,
  project: JiraProjectRecord,
  screen: JiraScreenRecord | undefined,
  fields: Record<string, unknown>,
  update: Record<string, unknown>,
  current: Record<string, unknown>,
  errors: Record<string, string>,
  options: { skip?: string[]; allowOffScreen?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const skip = new Set(options.skip ?? []);
  const onScreen = (id: string) =>
    Boolean(screen?.fields.includes(id)) ||
    (options.allowOffScreen === true && site.projectFieldIds(project).includes(id));
  for (const id of Object.keys(update)) {
    if (id in fields && !skip.has(id)) errors[id] = `Field '${id}' cannot be set in both 'fields' and 'update'.`;
  }
  for (const [id, raw] of Object.entries(fields)) {
    if (skip.has(id) || errors[id]) continue;
    const field = site.field(id);
    if (!field || !onScreen(id)) {
      errors[id] = notOnScreenMessage(id);
      continue;
    }
    const parsed = parseFieldValue(site, project, field, raw);
    if (parsed.ok) out[id] = parsed.value;
    else errors[id] = parsed.message;
  }
  for (const [id, ops] of Object.entries(update)) {
    if (skip.has(id) || errors[id] || id === 'comment') continue;
    const field = site.field(id);
    if (!field || !onScreen(id)) {
      errors[id] = notOnScreenMessage(id);
      continue;
    }
    const parsed = applyUpdateOperations(site, project, field, current[id], ops);
    if (parsed.ok) out[id] = parsed.value;
    else errors[id] = parsed.message;
  }
  return out;
}

/** `update.comment: [{add: {body}}]`, allowed on edit and transition. */
function collectUpdateComments(update: Record<string, unknown>, errors: Record<string, string>): unknown[] {
  const ops = update['comment'];
  if (ops === undefined) return [];
  if (!Array.isArray(ops)) {
    errors['comment'] = "Field 'comment' update must be a list of operations";
    return [];
  }
  const bodies: unknown[] = [];
  for (const op of ops) {
    const add = isRecord(op) ? op['add'] : undefined;
    if (!isRecord(add)) {
      errors['comment'] = "Field 'comment' does not support this operation. Supported operation(s) are: 'add'";
      continue;
    }
    const problem = checkCommentBody(add['body']);
    if (problem) errors['comment'] = problem;
    else bodies.push(add['body']);
  }
  return bodies;
}

export function checkCommentBody(body: unknown): string | null {
  if (body === undefined || body === null || body === '') return 'Comment body can not be empty!';
  if (!isRecord(body)) return ADF_MESSAGE;
  const problems = checkAdfDocument(body);
  return problems ? `${ADF_MESSAGE}: ${problems[0]}` : null;
}

function nextIssueIdentity(site: JiraSite, project: JiraProjectRecord): { id: string; key: string } {
  site.state.sequence.issueId += 1;
  const n = (site.state.sequence.projectIssueNumber[project.key] ?? 0) + 1;
  site.state.sequence.projectIssueNumber[project.key] = n;
  return { id: String(site.state.sequence.issueId), key: `${project.key}-${n}` };
}

function nextHistoryId(site: JiraSite): string {
  site.state.sequence.historyId += 1;
  return String(site.state.sequence.historyId);
}

function newComment(site: JiraSite, authorId: string, body: unknown): JiraCommentRecord {
  site.state.sequence.commentId += 1;
  const now = site.timestamp();
  return { id: String(site.state.sequence.commentId), authorId, body, created: now, updated: now };
}

/**
 * Checks one create request (`IssueUpdateDetails`) without touching state. Throws a 400
 * `JiraHttpError` with per-field errors; returns the record to commit.
 */
export function prepareCreate(
  site: JiraSite,
  body: unknown,
  actor: JiraActor,
): { issue: JiraIssueRecord; properties: Array<{ key: string; value: unknown }> } {
  if (!isRecord(body)) throw new JiraHttpError(400, ['Issue create request must be a JSON object.']);
  const fields = isRecord(body['fields']) ? body['fields'] : {};
  const update = isRecord(body['update']) ? body['update'] : {};
  const errors: Record<string, string> = {};

  const project = resolveProject(site, fields['project']);
  if (!project) errors['project'] = 'Specify a valid project ID or key';
  const rawType = fields['issuetype'];
  let issueTypeId: string | undefined;
  if (!isRecord(rawType)) errors['issuetype'] = 'Specify an issue type';
  else if (project) {
    const type = site.state.issueTypes.find(
      (t) =>
        (rawType['id'] !== undefined && t.id === valueText(rawType['id'])) ||
        (typeof rawType['name'] === 'string' && t.name === rawType['name']),
    );
    if (!type || !project.issueTypeIds.includes(type.id)) errors['issuetype'] = 'Specify a valid issue type';
    else issueTypeId = type.id;
  }
  if (!project || !issueTypeId) throw badRequest(errors);

  const values = collectScreenValues(site, project, project.createScreen, fields, update, {}, errors, {
    skip: ['project', 'issuetype'],
  });
  const actorId = actorAccountId(site, actor);
  if (values['reporter'] === undefined) values['reporter'] = actorId;
  if (values['priority'] === undefined) values['priority'] = site.projectPriorityScheme(project).defaultPriorityId;
  if (values['labels'] === undefined) values['labels'] = [];
  for (const id of project.createScreen.required) {
    if (id === 'project' || id === 'issuetype' || errors[id]) continue;
    const field = site.field(id);
    if (field && isEmptyValue(values[id])) errors[id] = requiredMessage(field);
  }
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  const properties = parseEntityProperties(body['properties']);

  const now = site.timestamp();
  const issue: JiraIssueRecord = {
    id: '',
    key: '',
    projectId: project.id,
    issueTypeId,
    statusId: project.workflow.initialStatusId,
    creatorId: actorId,
    created: now,
    updated: now,
    statusCategoryChangeDate: now,
    resolutionId: null,
    resolutionDate: null,
    values,
    properties: Object.fromEntries(properties.map((p) => [p.key, p.value])),
    comments: [],
    history: [],
  };
  return { issue, properties };
}

/** Commits a prepared issue: assigns id and key, stores it, returns the created event. */
export function commitCreate(site: JiraSite, issue: JiraIssueRecord, actor: JiraActor): WriteResult {
  const project = site.projectById(issue.projectId);
  const identity = nextIssueIdentity(site, project);
  issue.id = identity.id;
  issue.key = identity.key;
  site.state.issues.push(issue);
  return { issue, events: [buildProductEvent(site, 'avi:jira:created:issue', issue, actor)] };
}

function recordChange(
  site: JiraSite,
  issue: JiraIssueRecord,
  actor: JiraActor,
  items: JiraChangeItem[],
  statusFrom?: string,
): JiraProductEvent[] {
  if (items.length === 0) return [];
  const historyId = nextHistoryId(site);
  issue.updated = site.timestamp();
  issue.history.push({ id: historyId, authorId: actorAccountId(site, actor), created: issue.updated, items });
  const change =
    statusFrom && statusFrom !== issue.statusId
      ? { changelogId: historyId, items, statusFrom, statusTo: issue.statusId }
      : { changelogId: historyId, items };
  return [buildProductEvent(site, 'avi:jira:updated:issue', issue, actor, change)];
}

export interface EditOptions {
  overrideScreenSecurity: boolean;
}

/** PUT /issue/{key}: `fields` and `update` on the edit screen; a `transition` in the body is ignored, as in Jira. */
export function editIssue(
  site: JiraSite,
  issue: JiraIssueRecord,
  body: unknown,
  actor: JiraActor,
  options: EditOptions,
): WriteResult {
  if (!isRecord(body)) throw new JiraHttpError(400, ['Issue update request must be a JSON object.']);
  const project = site.projectById(issue.projectId);
  const fields = isRecord(body['fields']) ? body['fields'] : {};
  const update = isRecord(body['update']) ? body['update'] : {};
  const errors: Record<string, string> = {};
  const allowOffScreen = options.overrideScreenSecurity && actor.kind === 'app';
  const values = collectScreenValues(site, project, project.editScreen, fields, update, issue.values, errors, {
    allowOffScreen,
  });
  const comments = collectUpdateComments(update, errors);
  for (const [id, value] of Object.entries(values)) {
    const field = site.field(id)!;
    if (project.editScreen.required.includes(id) && isEmptyValue(value) && !errors[id])
      errors[id] = requiredMessage(field);
  }
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  const properties = parseEntityProperties(body['properties']);

  const items: JiraChangeItem[] = [];
  for (const [id, value] of Object.entries(values)) {
    const field = site.field(id)!;
    const before = issue.values[id];
    if (sameValue(before, value)) continue;
    items.push(changeItem(site, field, before, value));
    issue.values[id] = value;
  }
  for (const p of properties) issue.properties[p.key] = p.value;
  const actorId = actorAccountId(site, actor);
  for (const commentBody of comments) issue.comments.push(newComment(site, actorId, commentBody));
  if (comments.length > 0 && items.length === 0) issue.updated = site.timestamp();
  return { issue, events: recordChange(site, issue, actor, items) };
}

/** POST /issue/{key}/transitions: only transitions available from the current status, with their screen's fields. */
export function transitionIssue(site: JiraSite, issue: JiraIssueRecord, body: unknown, actor: JiraActor): WriteResult {
  if (!isRecord(body)) throw new JiraHttpError(400, ['Transition request must be a JSON object.']);
  const transitionRef = body['transition'];
  const transitionId =
    isRecord(transitionRef) && (typeof transitionRef['id'] === 'string' || typeof transitionRef['id'] === 'number')
      ? String(transitionRef['id'])
      : undefined;
  if (transitionId === undefined) throw new JiraHttpError(400, ["Missing 'transition' identifier"]);
  const transition = site.availableTransitions(issue).find((t) => t.id === transitionId);
  if (!transition) throw new JiraHttpError(400, [`Transition id '${transitionId}' is not valid for this issue.`]);

  const project = site.projectById(issue.projectId);
  const fields = isRecord(body['fields']) ? body['fields'] : {};
  const update = isRecord(body['update']) ? body['update'] : {};
  const errors: Record<string, string> = {};
  const values = collectScreenValues(
    site,
    project,
    transition.screen,
    fields,
    update,
    { ...issue.values, resolution: issue.resolutionId },
    errors,
  );
  const comments = collectUpdateComments(update, errors);
  for (const id of transition.screen?.required ?? []) {
    const field = site.field(id);
    if (field && isEmptyValue(values[id]) && !errors[id]) errors[id] = requiredMessage(field);
  }
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  const properties = parseEntityProperties(body['properties']);

  const items: JiraChangeItem[] = [];
  const fromStatus = site.status(issue.statusId)!;
  const toStatus = site.status(transition.to)!;
  const nowText = site.timestamp();

  // Resolution: from the screen if it has one; otherwise the workflow sets "Done" when entering a
  // done status and clears it when leaving one (Jira's default post-functions).
  let resolution = issue.resolutionId;
  if ('resolution' in values) resolution = (values['resolution'] as string | null) ?? null;
  else if (toStatus.categoryId === 3 && fromStatus.categoryId !== 3) resolution = resolution ?? '10000';
  else if (toStatus.categoryId !== 3) resolution = null;
  if (resolution !== issue.resolutionId) {
    items.push(changeItem(site, site.field('resolution')!, issue.resolutionId, resolution));
    issue.resolutionId = resolution;
    issue.resolutionDate = resolution ? nowText : null;
  }
  const statusFrom = issue.statusId;
  if (transition.to !== issue.statusId) {
    items.push({
      field: 'status',
      fieldtype: 'jira',
      fieldId: 'status',
      from: fromStatus.id,
      fromString: fromStatus.name,
      to: toStatus.id,
      toString: toStatus.name,
    });
    if (fromStatus.categoryId !== toStatus.categoryId) issue.statusCategoryChangeDate = nowText;
    issue.statusId = transition.to;
  }
  for (const [id, value] of Object.entries(values)) {
    if (id === 'resolution') continue;
    const field = site.field(id)!;
    if (sameValue(issue.values[id], value)) continue;
    items.push(changeItem(site, field, issue.values[id], value));
    issue.values[id] = value;
  }
  for (const p of properties) issue.properties[p.key] = p.value;
  const actorId = actorAccountId(site, actor);
  for (const commentBody of comments) issue.comments.push(newComment(site, actorId, commentBody));
  return { issue, events: recordChange(site, issue, actor, items, statusFrom) };
}

export function deleteIssue(site: JiraSite, issue: JiraIssueRecord, actor: JiraActor): WriteResult {
  const event = buildProductEvent(site, 'avi:jira:deleted:issue', issue, actor);
  site.state.issues = site.state.issues.filter((i) => i.id !== issue.id);
  return { issue, events: [event] };
}

export function addComment(site: JiraSite, issue: JiraIssueRecord, body: unknown, actor: JiraActor): JiraCommentRecord {
  const commentBody = isRecord(body) ? body['body'] : undefined;
  const problem = checkCommentBody(commentBody);
  if (problem) throw badRequest({ comment: problem });
  const comment = newComment(site, actorAccountId(site, actor), commentBody);
  issue.comments.push(comment);
  issue.updated = comment.created;
  return comment;
}
