import { z } from 'zod';
import { FindingStatusSchema } from './finding';
import { sha256Hex } from './hash';

/**
 * The callbacks the app sends the platform (README "Jira → platform sync"). Every
 * callback has a deterministic `id`, derived from what caused it, which is also its idempotency id
 * (`Idempotency-Key` header): the same Jira change always produces the same id, so a platform that
 * remembers ids never applies one twice. Pure: schemas and builders only.
 */

export const CALLBACK_TYPES = [
  'finding.issue_linked',
  'finding.status_changed',
  'finding.issue_deleted',
  'finding.comment_added',
  'finding.comment_updated',
  'finding.comment_deleted',
] as const;
export type CallbackType = (typeof CALLBACK_TYPES)[number];
export const CALLBACK_SCHEMA_VERSION = 1;

const FindingRefSchema = z.object({ id: z.string(), source: z.string() });
const IssueRefSchema = z.object({ id: z.string(), key: z.string(), projectKey: z.string().optional() });
const ActorSchema = z.object({ accountId: z.string() }).nullable();

const envelope = {
  /** Idempotency id: the same cause always yields the same id. */
  id: z.string().regex(/^cb-[0-9a-f]{32}$/),
  version: z.literal(CALLBACK_SCHEMA_VERSION),
  /** When the change happened in Jira (or when the app linked the issues). */
  occurredAt: z.string(),
};

const common = {
  ...envelope,
  /** Jira's changelog id when there is one: orders two callbacks of one issue. */
  sequence: z.string().optional(),
  finding: FindingRefSchema,
  issue: IssueRefSchema,
};

/** Links are reported per sync chunk (≤ 50): a 10,000-finding import costs 200 callbacks, not 10,000. */
export const MAX_LINKS_PER_CALLBACK = 50;

export const IssueLinkedCallbackSchema = z.object({
  type: z.literal('finding.issue_linked'),
  ...envelope,
  links: z
    .array(z.object({ finding: FindingRefSchema, issue: IssueRefSchema }))
    .min(1)
    .max(MAX_LINKS_PER_CALLBACK),
});

const GroupRefSchema = z.object({ id: z.string(), label: z.string() });

/** A group issue's callback: up to 50 of its members (`links`), the group, and which part of how many it is. */
const groupParts = {
  links: z
    .array(z.object({ finding: FindingRefSchema, issue: IssueRefSchema }))
    .min(1)
    .max(MAX_LINKS_PER_CALLBACK)
    .optional(),
  group: GroupRefSchema.optional(),
  batch: z.object({ index: z.number().int(), count: z.number().int(), of: z.string() }).optional(),
};

/**
 * One finding's status, or — for a group issue (config `grouping`) — the same change for up to 50
 * of its members (`links`, `finding` absent), with `group` and `batch` (part `index` of `count`
 * callbacks sent for that one Jira change, `of` = the id the change is known by).
 */
export const StatusChangedCallbackSchema = z.object({
  type: z.literal('finding.status_changed'),
  ...envelope,
  sequence: z.string().optional(),
  finding: FindingRefSchema.optional(),
  issue: IssueRefSchema,
  ...groupParts,
  jira: z.object({
    statusId: z.string(),
    statusName: z.string(),
    statusCategory: z.string(),
    resolution: z.string().nullable(),
  }),
  findingStatus: FindingStatusSchema,
  previousFindingStatus: FindingStatusSchema.optional(),
  actor: ActorSchema,
});

/**
 * One finding's issue was deleted, or — a group issue — the deletion for up to 50 of its members
 * (`links`, `finding` absent), with `group` and `batch` as in `finding.status_changed`.
 */
export const IssueDeletedCallbackSchema = z.object({
  type: z.literal('finding.issue_deleted'),
  ...common,
  finding: FindingRefSchema.optional(),
  ...groupParts,
  actor: ActorSchema,
  /** What a later update of the finding does (config `onDeletedIssue`). */
  onLaterUpdate: z.enum(['ignore', 'recreate']),
});

/**
 * A person's Jira comment on a linked issue (handle-comment-event.ts). `comment.id` is
 * `jira-<Jira comment id>`: a platform that re-posts the comment with that id (or `origin: "jira"`)
 * never gets it written back to Jira. `body` is the comment's text (ADF flattened to paragraphs),
 * absent for a deletion. `visibility` is present only for restricted comments the admin allowed.
 */
const JiraCommentSchema = z.object({
  id: z.string().regex(/^jira-\d+$/),
  jiraCommentId: z.string(),
  author: ActorSchema,
  body: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  visibility: z.object({ type: z.enum(['role', 'group']), value: z.string() }).optional(),
});
export type CallbackComment = z.output<typeof JiraCommentSchema>;

export const COMMENT_CALLBACK_TYPES = [
  'finding.comment_added',
  'finding.comment_updated',
  'finding.comment_deleted',
] as const;
export type CommentCallbackType = (typeof COMMENT_CALLBACK_TYPES)[number];

const commentCallback = <T extends CommentCallbackType>(type: T) =>
  z.object({ type: z.literal(type), ...common, comment: JiraCommentSchema, actor: ActorSchema });

export const PlatformCallbackSchema = z.discriminatedUnion('type', [
  IssueLinkedCallbackSchema,
  StatusChangedCallbackSchema,
  IssueDeletedCallbackSchema,
  commentCallback('finding.comment_added'),
  commentCallback('finding.comment_updated'),
  commentCallback('finding.comment_deleted'),
]);
export type PlatformCallback = z.output<typeof PlatformCallbackSchema>;
export type StatusChangedCallback = z.output<typeof StatusChangedCallbackSchema>;

/** `cb-` + 32 hex characters of SHA-256 over the parts that identify the cause. */
export function computeCallbackId(type: CallbackType, parts: ReadonlyArray<string>): string {
  return `cb-${sha256Hex([type, ...parts].join('\n')).slice(0, 32)}`;
}

export type CallbackIssue = { id: string; key: string; projectKey?: string };
export type CallbackFinding = { id: string; source: string };

/** One `finding.issue_linked` for up to 50 links made together; the id depends only on the links. */
export function buildIssueLinkedCallback(input: {
  links: ReadonlyArray<{ finding: CallbackFinding; issue: CallbackIssue }>;
  linkedAt: string;
}): PlatformCallback {
  if (input.links.length === 0 || input.links.length > MAX_LINKS_PER_CALLBACK) {
    throw new RangeError(
      `finding.issue_linked carries 1 to ${MAX_LINKS_PER_CALLBACK} links, got ${input.links.length}`,
    );
  }
  const causes = input.links.map((l) => `${l.finding.source}|${l.finding.id}|${l.issue.id}`).sort();
  return {
    type: 'finding.issue_linked',
    id: computeCallbackId('finding.issue_linked', causes),
    version: CALLBACK_SCHEMA_VERSION,
    occurredAt: input.linkedAt,
    links: input.links.map((l) => ({ finding: l.finding, issue: l.issue })),
  };
}

/** The issue a callback is about, for logs and ordering (a links callback: its first issue). */
export function callbackSubject(callback: PlatformCallback): CallbackIssue {
  return callback.type === 'finding.issue_linked' ? callback.links[0]!.issue : callback.issue;
}

export function buildStatusChangedCallback(input: {
  finding: CallbackFinding;
  issue: CallbackIssue;
  occurredAt: string;
  changelogId?: string;
  jira: StatusChangedCallback['jira'];
  findingStatus: StatusChangedCallback['findingStatus'];
  previousFindingStatus?: StatusChangedCallback['findingStatus'];
  actorAccountId?: string;
}): StatusChangedCallback {
  const cause = input.changelogId ?? `${input.occurredAt}|${input.jira.statusId}`;
  return {
    type: 'finding.status_changed',
    id: computeCallbackId('finding.status_changed', [input.issue.id, cause]),
    version: CALLBACK_SCHEMA_VERSION,
    occurredAt: input.occurredAt,
    ...(input.changelogId !== undefined ? { sequence: input.changelogId } : {}),
    finding: input.finding,
    issue: input.issue,
    jira: input.jira,
    findingStatus: input.findingStatus,
    ...(input.previousFindingStatus !== undefined ? { previousFindingStatus: input.previousFindingStatus } : {}),
    actor: input.actorAccountId ? { accountId: input.actorAccountId } : null,
  };
}

export type IssueDeletedCallback = z.output<typeof IssueDeletedCallbackSchema>;

export function buildIssueDeletedCallback(input: {
  finding: CallbackFinding;
  issue: CallbackIssue;
  occurredAt: string;
  actorAccountId?: string;
  onLaterUpdate: 'ignore' | 'recreate';
}): IssueDeletedCallback {
  return {
    type: 'finding.issue_deleted',
    id: computeCallbackId('finding.issue_deleted', [input.issue.id]),
    version: CALLBACK_SCHEMA_VERSION,
    occurredAt: input.occurredAt,
    finding: input.finding,
    issue: input.issue,
    actor: input.actorAccountId ? { accountId: input.actorAccountId } : null,
    onLaterUpdate: input.onLaterUpdate,
  };
}

type GroupInput = {
  issue: CallbackIssue;
  group: { id: string; label: string };
  members: ReadonlyArray<CallbackFinding>;
};

const groupFinding = (group: GroupInput['group']): CallbackFinding => ({ id: group.id, source: 'group' });

/** The callback one finding would get, made for every member of the group instead, ≤ 50 per callback. */
function forMembers<T extends StatusChangedCallback | IssueDeletedCallback>(single: T, input: GroupInput): T[] {
  const { finding: _none, ...base } = single;
  // `links` in place of `finding`: both schemas make either optional, so this is still a T.
  return inParts(single, input.members, input.issue, input.group, single.type, (part) => ({ ...base, ...part }) as T);
}

/**
 * A person changed a group issue's status: the change for every member, ≤ 50 members per callback.
 * Ids derive from the change and the part, so a redelivered event writes the same callbacks.
 */
export function buildGroupStatusChangedCallbacks(
  input: Omit<Parameters<typeof buildStatusChangedCallback>[0], 'finding'> & Pick<GroupInput, 'group' | 'members'>,
): StatusChangedCallback[] {
  return forMembers(buildStatusChangedCallback({ ...input, finding: groupFinding(input.group) }), input);
}

/** Up to 50 members per part; part 0 keeps `first`'s id, later parts derive theirs from it. */
export function inParts<T extends PlatformCallback>(
  first: { id: string },
  members: ReadonlyArray<CallbackFinding>,
  issue: CallbackIssue,
  group: { id: string; label: string },
  type: T['type'],
  build: (part: { id: string; links: Array<{ finding: CallbackFinding; issue: CallbackIssue }> }) => T,
): T[] {
  const count = Math.ceil(members.length / MAX_LINKS_PER_CALLBACK);
  const out: T[] = [];
  for (let index = 0; index < count; index++) {
    const part = members.slice(index * MAX_LINKS_PER_CALLBACK, (index + 1) * MAX_LINKS_PER_CALLBACK);
    const id = index === 0 ? first.id : computeCallbackId(type, [first.id, `part ${index}`]);
    out.push({
      ...build({ id, links: part.map((finding) => ({ finding, issue })) }),
      group,
      batch: { index, count, of: first.id },
    });
  }
  return out;
}

/**
 * A group issue was deleted in Jira: `finding.issue_deleted` for every member, ≤ 50 per callback.
 * Ids derive from the issue and the part, so a redelivered event writes the same callbacks.
 */
export function buildGroupIssueDeletedCallbacks(
  input: Omit<Parameters<typeof buildIssueDeletedCallback>[0], 'finding'> & Pick<GroupInput, 'group' | 'members'>,
): IssueDeletedCallback[] {
  return forMembers(buildIssueDeletedCallback({ ...input, finding: groupFinding(input.group) }), input);
}
