import { buildFindingDescription } from './finding-description';
import type { OwnedField, SyncConfig, TargetMapping } from './config';
import { mapCustomFields, type JiraFieldMeta } from './custom-field';
import type { Finding } from './finding';
import { computeFingerprint, type FindingFingerprint, type FingerprintPart } from './fingerprint';
import { buildLabels, buildSummary, computeDueDate, resolvePriority, type JiraPriority } from './mapping';
import type { JiraStatus } from './status-mapping';

/**
 * Finding → the JSON of Jira's create (`POST /issue/bulk` element) and edit (`PUT /issue/{id}`)
 * requests, from the project's field metadata. Pure: the caller passes metadata, the resolved
 * assignee and `now`.
 */

/** The issue entity property that carries the link, so it can be recovered from Jira itself (JQL). */
export const LINK_PROPERTY_KEY = 'findingSyncLink';

export type LinkProperty = { findingKey: string; findingId: string; source: string; fingerprint: string };

/** What the app knows about one project + issue type: create-screen fields, priorities, statuses. */
export type IssueTypeMeta = {
  projectKey: string;
  issueTypeId: string;
  fields: Record<string, JiraFieldMeta & { required: boolean }>;
  priorities: JiraPriority[];
  statuses: JiraStatus[];
};

export type IssueCreateRequest = {
  fields: Record<string, unknown>;
  properties: Array<{ key: string; value: LinkProperty }>;
};

export type IssueFieldsInput = {
  finding: Finding;
  mapping: TargetMapping;
  config: SyncConfig;
  meta: IssueTypeMeta;
  /** Resolved by the caller (owner accountId, owner email lookup, or the mapping's default). */
  assigneeAccountId: string | undefined;
  now: Date;
  platformName?: string;
};

/** The fingerprint the app stores for a finding under a configuration and the mapping it is routed by. */
export function fingerprintFinding(
  finding: Finding,
  config: SyncConfig,
  mapping?: Pick<TargetMapping, 'summaryTemplate'>,
): FindingFingerprint {
  return computeFingerprint(
    finding,
    config.ownership.platformOwned,
    config.fieldMappings.map((m) => m.source),
    mapping?.summaryTemplate,
  );
}

function onScreen(meta: IssueTypeMeta, fieldId: string): boolean {
  return Object.prototype.hasOwnProperty.call(meta.fields, fieldId);
}

/** Values of one owned field group, for the fields that are on the screen. */
function groupValues(group: OwnedField, input: IssueFieldsInput, purpose: 'create' | 'edit'): Record<string, unknown> {
  const { finding, mapping, config, meta } = input;
  const out: Record<string, unknown> = {};
  switch (group) {
    case 'summary':
      out['summary'] = buildSummary(finding, mapping);
      break;
    case 'description':
      if (onScreen(meta, 'description'))
        out['description'] = buildFindingDescription(finding, { platformName: input.platformName });
      break;
    case 'labels':
      if (onScreen(meta, 'labels')) out['labels'] = buildLabels(finding, mapping);
      break;
    case 'priority':
      if (onScreen(meta, 'priority')) {
        const priority = resolvePriority(finding.severity, config, meta.priorities);
        if (priority.ok) out['priority'] = { id: priority.priority.id };
      }
      break;
    case 'assignee':
      if (onScreen(meta, 'assignee')) {
        if (input.assigneeAccountId !== undefined) out['assignee'] = { accountId: input.assigneeAccountId };
        else if (purpose === 'edit') out['assignee'] = null;
      }
      break;
    case 'dueDate':
      if (onScreen(meta, 'duedate')) {
        const due = computeDueDate(finding.severity, config, input.now);
        if (due !== undefined) out['duedate'] = due;
        else if (purpose === 'edit') out['duedate'] = null;
      }
      break;
    case 'customFields': {
      // A global field mapping applies where its field is on the screen; elsewhere it is skipped.
      const mappings = config.fieldMappings.filter((m) => onScreen(meta, m.fieldId));
      const mapped = mapCustomFields(finding, mappings, meta.fields);
      Object.assign(out, mapped.fields);
      if (purpose === 'edit') for (const fieldId of mapped.cleared) out[fieldId] = null;
      break;
    }
  }
  return out;
}

const ALL_GROUPS: ReadonlyArray<OwnedField> = [
  'summary',
  'description',
  'labels',
  'priority',
  'assignee',
  'dueDate',
  'customFields',
];

/** The create request of one issue, with the link as an entity property set in the same call. */
export function buildIssueCreateRequest(input: IssueFieldsInput & { findingKey: string; source: string }): {
  request: IssueCreateRequest;
  fingerprint: FindingFingerprint;
} {
  const fields: Record<string, unknown> = {
    project: { key: input.meta.projectKey },
    issuetype: { id: input.meta.issueTypeId },
  };
  for (const group of ALL_GROUPS) Object.assign(fields, groupValues(group, input, 'create'));
  const fingerprint = fingerprintFinding(input.finding, input.config, input.mapping);
  const link: LinkProperty = {
    findingKey: input.findingKey,
    findingId: input.finding.id,
    source: input.source,
    fingerprint: fingerprint.value,
  };
  return { request: { fields, properties: [{ key: LINK_PROPERTY_KEY, value: link }] }, fingerprint };
}

/**
 * The edit request for the changed, platform-owned field groups (`undefined` when nothing needs
 * writing). Fields Jira owns after creation (by default priority and assignee) are never edited.
 */
export function buildIssueEditFields(
  changed: ReadonlyArray<FingerprintPart>,
  input: IssueFieldsInput,
): Record<string, unknown> | undefined {
  const owned = new Set(input.config.ownership.platformOwned);
  const fields: Record<string, unknown> = {};
  for (const part of changed) {
    if (part === 'status' || !owned.has(part)) continue;
    Object.assign(fields, groupValues(part, input, 'edit'));
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** Jira's field id for the assignee, as it names it in `errors` of a refused create. */
export const ASSIGNEE_FIELD_ID = 'assignee';

/**
 * Whether Jira refused a create because of the assignee (an unknown or deactivated account):
 * keyed on the field id in Jira's `errors`, never on the (localised) message.
 */
export function isAssigneeRefusal(request: IssueCreateRequest, fieldErrors: Record<string, string>): boolean {
  return (
    Object.prototype.hasOwnProperty.call(fieldErrors, ASSIGNEE_FIELD_ID) &&
    request.fields[ASSIGNEE_FIELD_ID] !== undefined &&
    request.fields[ASSIGNEE_FIELD_ID] !== null
  );
}

/** The same create request without the assignee (Jira then applies the project's default assignee, if any). */
export function removeAssignee(request: IssueCreateRequest): IssueCreateRequest {
  const { [ASSIGNEE_FIELD_ID]: _dropped, ...fields } = request.fields;
  return { ...request, fields };
}

/** The account id a create request assigns the issue to, if any. */
export function readAssigneeAccountId(request: IssueCreateRequest): string | undefined {
  const value = request.fields[ASSIGNEE_FIELD_ID];
  return typeof value === 'object' && value !== null && typeof (value as { accountId?: unknown }).accountId === 'string'
    ? (value as { accountId: string }).accountId
    : undefined;
}
