/**
 * Types shared by the Jira Cloud emulator. Everything under `JiraState` is plain JSON so that
 * `emulator.snapshot()` can be written to disk and fed back as `options.state` after a restart.
 */

/** Who is calling: the app itself (`asApp()`) or a person (`asUser()`, the board, curl). */
export type JiraActor = { kind: 'app' } | { kind: 'user'; accountId: string };

export type JiraProductEventType =
  | 'avi:jira:created:issue'
  | 'avi:jira:updated:issue'
  | 'avi:jira:deleted:issue'
  | 'avi:jira:commented:issue'
  | 'avi:jira:deleted:comment';

export interface JiraProductEvent {
  eventType: JiraProductEventType;
  /** True when the actor was `{ kind: 'app' }`: the dispatcher drops it for `filter.ignoreSelf`. */
  selfGenerated: boolean;
  /** The Forge product-event payload, shaped as Forge delivers it to a trigger handler. */
  payload: Record<string, unknown>;
  /** When the write happened (ms since epoch, from the emulator's clock). Not part of Forge's payload. */
  timestamp: number;
}

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done' | 'undefined';

export interface JiraUserRecord {
  accountId: string;
  accountType: 'atlassian' | 'app';
  displayName: string;
  emailAddress?: string;
  active: boolean;
  timeZone: string;
  /** Global permission ADMINISTER (Jira administrators). */
  administer: boolean;
}

export interface JiraStatusRecord {
  id: string;
  name: string;
  description: string;
  /** Status category id: 2 new, 4 indeterminate, 3 done. */
  categoryId: 2 | 3 | 4;
}

export interface JiraPriorityRecord {
  id: string;
  name: string;
  description: string;
  statusColor: string;
}

export interface JiraPrioritySchemeRecord {
  id: string;
  name: string;
  description: string;
  priorityIds: string[];
  defaultPriorityId: string;
  isDefault: boolean;
}

export interface JiraResolutionRecord {
  id: string;
  name: string;
  description: string;
}

export interface JiraIssueTypeRecord {
  id: string;
  name: string;
  description: string;
  hierarchyLevel: number;
  subtask: boolean;
  avatarId: number;
}

/** How the emulator checks and stores a field value. */
export type JiraFieldKind =
  | 'summary'
  | 'adf' // description, environment, textarea custom fields
  | 'text' // single-line text custom field
  | 'url'
  | 'number'
  | 'select'
  | 'multiselect'
  | 'labels'
  | 'date'
  | 'user'
  | 'priority'
  | 'issuetype'
  | 'project'
  | 'resolution'
  | 'readonly';

export interface JiraFieldRecord {
  id: string;
  name: string;
  custom: boolean;
  kind: JiraFieldKind;
  schema: { type: string; items?: string; system?: string; custom?: string; customId?: number };
  clauseNames: string[];
  orderable: boolean;
  navigable: boolean;
  searchable: boolean;
  /** Options of select / multi-select custom fields. */
  options?: Array<{ id: string; value: string }>;
}

export interface JiraScreenRecord {
  /** Field ids shown on the screen. */
  fields: string[];
  /** Field ids a value must be given for. */
  required: string[];
}

export interface JiraTransitionRecord {
  id: string;
  name: string;
  /** Statuses the transition starts from; an empty list means a global transition (from any status). */
  from: string[];
  to: string;
  screen?: JiraScreenRecord;
}

export interface JiraWorkflowRecord {
  name: string;
  initialStatusId: string;
  statusIds: string[];
  transitions: JiraTransitionRecord[];
}

export interface JiraProjectRecord {
  id: string;
  key: string;
  name: string;
  description: string;
  projectTypeKey: 'software' | 'business' | 'service_desk';
  leadAccountId: string;
  issueTypeIds: string[];
  workflow: JiraWorkflowRecord;
  prioritySchemeId: string;
  createScreen: JiraScreenRecord;
  editScreen: JiraScreenRecord;
}

/** A comment restricted to a project role or a group (`visibility` of REST v3). */
export interface JiraCommentVisibility {
  type: 'role' | 'group';
  value: string;
  identifier?: string;
}

export interface JiraCommentRecord {
  id: string;
  authorId: string;
  body: unknown;
  created: string;
  updated: string;
  /** Who edited it last (absent: the author). */
  updateAuthorId?: string;
  visibility?: JiraCommentVisibility;
  /** Comment entity properties (`properties` on create/update, `/comment/{id}/properties`). */
  properties?: Record<string, unknown>;
}

export interface JiraChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface JiraHistoryRecord {
  id: string;
  authorId: string;
  created: string;
  items: JiraChangeItem[];
}

export interface JiraIssueRecord {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  creatorId: string;
  created: string;
  updated: string;
  statusCategoryChangeDate: string;
  resolutionId: string | null;
  resolutionDate: string | null;
  /** Stored field values by field id (summary, description, labels, priority, customfield_..., ...). */
  values: Record<string, unknown>;
  properties: Record<string, unknown>;
  comments: JiraCommentRecord[];
  history: JiraHistoryRecord[];
}

export interface JiraState {
  version: 1;
  siteUrl: string;
  cloudId: string;
  appAccountId: string;
  sequence: { issueId: number; commentId: number; historyId: number; projectIssueNumber: Record<string, number> };
  users: JiraUserRecord[];
  statuses: JiraStatusRecord[];
  priorities: JiraPriorityRecord[];
  prioritySchemes: JiraPrioritySchemeRecord[];
  resolutions: JiraResolutionRecord[];
  issueTypes: JiraIssueTypeRecord[];
  fields: JiraFieldRecord[];
  projects: JiraProjectRecord[];
  issues: JiraIssueRecord[];
}
