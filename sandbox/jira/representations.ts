import { extractAdfText } from './adf-validator';
import type { JiraSite } from './jira-site';
import type {
  JiraCommentRecord,
  JiraFieldRecord,
  JiraIssueRecord,
  JiraIssueTypeRecord,
  JiraPriorityRecord,
  JiraProjectRecord,
  JiraResolutionRecord,
  JiraStatusRecord,
  JiraTransitionRecord,
  JiraUserRecord,
} from './types';

/** How Jira Cloud REST v3 represents each entity in responses. */

function avatarUrls(base: string, kind: string, id: string): Record<string, string> {
  const url = (size: number) => `${base}/secure/viewavatar?size=${size}&avatarId=${id}&avatarType=${kind}`;
  return { '48x48': url(48), '24x24': url(24), '16x16': url(16), '32x32': url(32) };
}

export function userView(site: JiraSite, user: JiraUserRecord) {
  return {
    self: site.restUrl(`user?accountId=${encodeURIComponent(user.accountId)}`),
    accountId: user.accountId,
    accountType: user.accountType,
    ...(user.emailAddress ? { emailAddress: user.emailAddress } : {}),
    avatarUrls: avatarUrls(site.baseUrl, 'user', '10122'),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
  };
}

export function userRefView(site: JiraSite, accountId: unknown) {
  if (typeof accountId !== 'string') return null;
  const user = site.user(accountId);
  return user ? userView(site, user) : null;
}

export function statusCategoryView(site: JiraSite, categoryId: number) {
  const c = site.statusCategory(categoryId);
  return { self: site.restUrl(`statuscategory/${c.id}`), id: c.id, key: c.key, colorName: c.colorName, name: c.name };
}

export function statusView(site: JiraSite, status: JiraStatusRecord) {
  return {
    self: site.restUrl(`status/${status.id}`),
    description: status.description,
    iconUrl: `${site.baseUrl}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: statusCategoryView(site, status.categoryId),
  };
}

export function priorityView(site: JiraSite, priority: JiraPriorityRecord) {
  return {
    self: site.restUrl(`priority/${priority.id}`),
    statusColor: priority.statusColor,
    description: priority.description,
    iconUrl: `${site.baseUrl}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
  };
}

export function resolutionView(site: JiraSite, resolution: JiraResolutionRecord) {
  return {
    self: site.restUrl(`resolution/${resolution.id}`),
    id: resolution.id,
    description: resolution.description,
    name: resolution.name,
  };
}

export function issueTypeView(site: JiraSite, type: JiraIssueTypeRecord) {
  return {
    self: site.restUrl(`issuetype/${type.id}`),
    id: type.id,
    description: type.description,
    iconUrl: `${site.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${type.avatarId}?size=medium`,
    name: type.name,
    subtask: type.subtask,
    avatarId: type.avatarId,
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function projectRefView(site: JiraSite, project: JiraProjectRecord) {
  return {
    self: site.restUrl(`project/${project.id}`),
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    avatarUrls: avatarUrls(site.baseUrl, 'project', '10400'),
  };
}

export function projectView(site: JiraSite, project: JiraProjectRecord, expand: Set<string>) {
  const lead = site.user(project.leadAccountId);
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    ...projectRefView(site, project),
    ...(expand.has('description') ? { description: project.description } : {}),
    ...(expand.has('lead') && lead ? { lead: userView(site, lead) } : {}),
    ...(expand.has('issueTypes')
      ? { issueTypes: project.issueTypeIds.map((id) => issueTypeView(site, site.issueType(id)!)) }
      : {}),
    style: 'classic',
    isPrivate: false,
    properties: {},
  };
}

export function fieldView(field: JiraFieldRecord) {
  return {
    id: field.id,
    key: field.id,
    name: field.name,
    custom: field.custom,
    orderable: field.orderable,
    navigable: field.navigable,
    searchable: field.searchable,
    clauseNames: field.clauseNames,
    schema: field.schema,
  };
}

function optionView(site: JiraSite, field: JiraFieldRecord, id: string) {
  const option = field.options?.find((o) => o.id === id);
  return { self: site.restUrl(`customFieldOption/${id}`), value: option?.value ?? id, id };
}

/** The response representation of one stored field value. */
export function fieldValueView(site: JiraSite, issue: JiraIssueRecord, field: JiraFieldRecord): unknown {
  const project = site.projectById(issue.projectId);
  switch (field.id) {
    case 'issuetype':
      return issueTypeView(site, site.issueType(issue.issueTypeId)!);
    case 'project':
      return projectRefView(site, project);
    case 'status':
      return statusView(site, site.status(issue.statusId)!);
    case 'creator':
      return userRefView(site, issue.creatorId);
    case 'created':
      return issue.created;
    case 'updated':
      return issue.updated;
    case 'resolutiondate':
      return issue.resolutionDate;
    case 'statuscategorychangedate':
      return issue.statusCategoryChangeDate;
    case 'resolution':
      return issue.resolutionId ? resolutionView(site, site.resolution(issue.resolutionId)!) : null;
    case 'comment':
      return {
        comments: issue.comments.map((c) => commentView(site, issue, c)),
        self: site.restUrl(`issue/${issue.id}/comment`),
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      };
  }
  const value = issue.values[field.id];
  switch (field.kind) {
    case 'priority':
      return typeof value === 'string' ? priorityView(site, site.priority(value)!) : null;
    case 'user':
      return userRefView(site, value);
    case 'labels':
      return Array.isArray(value) ? value : field.custom ? null : [];
    case 'select':
      return typeof value === 'string' ? optionView(site, field, value) : null;
    case 'multiselect':
      return Array.isArray(value) && value.length > 0
        ? (value as string[]).map((id) => optionView(site, field, id))
        : null;
    default:
      return value ?? null;
  }
}

export function commentView(
  site: JiraSite,
  issue: JiraIssueRecord,
  comment: JiraCommentRecord,
  options: { properties?: boolean } = {},
) {
  const author = userRefView(site, comment.authorId);
  return {
    self: site.restUrl(`issue/${issue.id}/comment/${comment.id}`),
    id: comment.id,
    author,
    body: comment.body,
    updateAuthor: comment.updateAuthorId ? userRefView(site, comment.updateAuthorId) : author,
    created: comment.created,
    updated: comment.updated,
    ...(comment.visibility ? { visibility: { ...comment.visibility } } : {}),
    jsdPublic: true,
    ...(options.properties
      ? { properties: Object.entries(comment.properties ?? {}).map(([key, value]) => ({ key, value })) }
      : {}),
  };
}

export function transitionView(site: JiraSite, transition: JiraTransitionRecord, withFields: boolean) {
  const to = site.status(transition.to)!;
  const screenFields: Record<string, unknown> = {};
  if (withFields && transition.screen) {
    for (const id of transition.screen.fields) {
      const field = site.field(id);
      if (!field) continue;
      screenFields[id] = {
        required: transition.screen.required.includes(id),
        schema: field.schema,
        name: field.name,
        key: field.id,
        operations: ['set'],
        ...(field.id === 'resolution'
          ? { allowedValues: site.state.resolutions.map((r) => resolutionView(site, r)) }
          : {}),
      };
    }
  }
  return {
    id: transition.id,
    name: transition.name,
    to: statusView(site, to),
    hasScreen: Boolean(transition.screen),
    isGlobal: transition.from.length === 0,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
    ...(withFields ? { fields: screenFields } : {}),
  };
}

/** Which fields a `fields` request parameter selects (`*all`, `*navigable`, `id`, names, `-name`). */
export function selectFields(
  site: JiraSite,
  project: JiraProjectRecord,
  requested: string[] | undefined,
  fallback: string,
): Set<string> {
  const tokens = (requested && requested.length > 0 ? requested : [fallback])
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  const available = site.projectFieldIds(project);
  const selected = new Set<string>();
  for (const token of tokens) {
    if (token === '*all' || token === '*navigable') available.forEach((id) => selected.add(id));
    else if (token.startsWith('-')) continue;
    else if (token !== 'id' && token !== 'key') {
      const byName = site.state.fields.find((f) => f.name.toLowerCase() === token.toLowerCase());
      const id = site.field(token) ? token : byName?.id;
      if (id && available.includes(id)) selected.add(id);
    }
  }
  for (const token of tokens) if (token.startsWith('-')) selected.delete(token.slice(1));
  return selected;
}

export interface IssueViewOptions {
  fields: Set<string>;
  expand: Set<string>;
  properties: string[];
}

export function issueView(site: JiraSite, issue: JiraIssueRecord, options: IssueViewOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const id of options.fields) {
    const field = site.field(id);
    if (field) fields[id] = fieldValueView(site, issue, field);
  }
  const view: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: site.restUrl(`issue/${issue.id}`),
    key: issue.key,
  };
  if (options.expand.has('renderedFields')) {
    const rendered: Record<string, unknown> = {};
    for (const id of options.fields) {
      const field = site.field(id);
      if (!field) continue;
      const raw = issue.values[id];
      rendered[id] = field.kind === 'adf' && raw ? `<p>${escapeHtml(extractAdfText(raw))}</p>` : null;
    }
    view['renderedFields'] = rendered;
  }
  if (options.expand.has('names')) {
    view['names'] = Object.fromEntries([...options.fields].map((id) => [id, site.field(id)?.name ?? id]));
  }
  if (options.expand.has('schema')) {
    view['schema'] = Object.fromEntries(
      [...options.fields].map((id) => [id, site.field(id)?.schema]).filter(([, s]) => s),
    );
  }
  if (options.expand.has('transitions')) {
    view['transitions'] = site.availableTransitions(issue).map((t) => transitionView(site, t, false));
  }
  if (options.expand.has('changelog')) {
    view['changelog'] = {
      startAt: 0,
      maxResults: issue.history.length,
      total: issue.history.length,
      // The document types from/to as strings; null values are left out (Jira sends null).
      histories: [...issue.history].reverse().map((h) => ({
        id: h.id,
        author: userRefView(site, h.authorId),
        created: h.created,
        items: h.items.map((item) => Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null))),
      })),
    };
  }
  if (options.properties.length > 0) {
    const props: Record<string, unknown> = {};
    const keys = options.properties.includes('*all') ? Object.keys(issue.properties) : options.properties;
    for (const key of keys) if (key in issue.properties) props[key] = issue.properties[key];
    view['properties'] = props;
  }
  view['fields'] = fields;
  return view;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
