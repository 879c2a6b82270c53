import { z } from 'zod';
import { DeadLetterSchema } from '../domain/dead-letter';
import { GroupingSchema } from '../domain/grouping-mode';
import { SeveritySchema } from '../domain/severity';
import { UnmappedStatusSchema } from '../domain/unmapped-status';

/**
 * The Health tab's part of the admin page ↔ resolver contract (src/contracts/admin-api.ts): counts,
 * dead letters and dead callbacks paged 20 at a time, bulk jobs, settings that no longer match Jira.
 */

const IsoTimeSchema = z.string();

/** A setting that does not (or no longer) match the live Jira site. Errors block a save; warnings do not. */
export const ConfigProblemSchema = z.object({
  path: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});
export type ConfigProblem = z.infer<typeof ConfigProblemSchema>;

export const SyncCountsSchema = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  transitioned: z.number(),
  skipped: z.number(),
  unrouted: z.number(),
  failed: z.number(),
  recovered: z.number(),
  /** Issues created without the finding's owner as assignee because Jira refused that account. */
  assigneeDropped: z.number(),
});

/** A finding dead letter (src/domain/dead-letter.ts) as the page shows it: the finding's title, JSON nulls. */
export const DeadLetterViewSchema = DeadLetterSchema.pick({
  findingKey: true,
  findingId: true,
  source: true,
  stage: true,
  reason: true,
  fieldErrors: true,
  errorMessages: true,
  failedAt: true,
}).extend({
  title: z.string(),
  severity: SeveritySchema,
  status: z.number().int().nullable(),
  issueKey: z.string().nullable(),
});
export type DeadLetterView = z.infer<typeof DeadLetterViewSchema>;

/** Lists on the page come 20 at a time; `cursor` (opaque) asks for the next page, null when there is none. */
export const PAGE_SIZE = 20;
const CursorSchema = z.string().min(1).max(2000);
export const PageRequestSchema = z.object({ cursor: CursorSchema.optional() }).strict();

export const BULK_JOB_KINDS = ['replay-dead-callbacks', 'replay-dead-letters'] as const;
export type BulkJobKind = (typeof BULK_JOB_KINDS)[number];
/** A bulk action (Replay all) running as a queued background job; the page follows its progress. */
export const BulkJobViewSchema = z.object({
  id: z.string(),
  kind: z.enum(BULK_JOB_KINDS),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  /** Items handled so far (replayed), and how many could not be. */
  processed: z.number().int().min(0),
  failed: z.number().int().min(0),
  startedAt: IsoTimeSchema,
  updatedAt: IsoTimeSchema,
  finishedAt: IsoTimeSchema.nullable(),
  startedBy: z.string(),
  message: z.string().nullable(),
});
export type BulkJobView = z.infer<typeof BulkJobViewSchema>;
export const BulkJobRequestSchema = z.object({ kind: z.enum(BULK_JOB_KINDS) }).strict();

export const DeadLetterPageSchema = z.object({
  deadLetters: z.array(DeadLetterViewSchema),
  cursor: z.string().nullable(),
});

/**
 * Jira's hourly points quota for this app is used up: the sync is paused until `until` (Jira's reset), when
 * every waiting chunk goes on. The page says "Jira's hourly quota for this app is used up until 14:00".
 */
export const JiraQuotaPauseSchema = z.object({
  until: IsoTimeSchema,
  /** When the sync first met the spent quota. */
  since: IsoTimeSchema,
  /** Jira's `RateLimit-Reason`, e.g. `jira-quota-tenant-based`. */
  reason: z.string(),
});
export type JiraQuotaPause = z.infer<typeof JiraQuotaPauseSchema>;

export const OldStyleIssuesSchema = z.object({
  mappingId: z.string(),
  projectKey: z.string(),
  /** The style those issues have (`none`: one issue per finding). */
  grouping: GroupingSchema,
  findings: z.number().int(),
});
export type OldStyleIssuesView = z.infer<typeof OldStyleIssuesSchema>;

export const HealthViewSchema = z.object({
  lastIngestAt: IsoTimeSchema.nullable(),
  lastHealthRunAt: IsoTimeSchema.nullable(),
  /** Totals over the last 30 days (whole UTC days). */
  counts: SyncCountsSchema,
  /** True when the hourly check is behind and some hours are not in `counts` yet. */
  countsIncomplete: z.boolean(),
  /** The first page (20) of dead letters; `deadLettersCursor` asks `dead-letters/list` for the next. */
  deadLetters: z.array(DeadLetterViewSchema),
  moreDeadLetters: z.boolean(),
  deadLettersCursor: z.string().nullable(),
  /** Callbacks waiting for delivery to the platform, counted up to one page; null when this build cannot count them. */
  outboxBacklog: z.number().int().nullable(),
  /** True when there are more than `outboxBacklog` (the page shows "20+"). */
  outboxBacklogMore: z.boolean(),
  /** The latest bulk job of each kind (running or finished), for the page to show progress. */
  jobs: z.array(BulkJobViewSchema),
  /** Settings that no longer match Jira (deleted project, renamed status, missing priority, ...). */
  problems: z.array(ConfigProblemSchema),
  /** Set when Jira could not be asked, so `problems` is incomplete. */
  problemsUnavailable: z.string().nullable(),
  /** Set while the sync waits for Jira's hourly points quota to reset. */
  jiraQuotaPause: JiraQuotaPauseSchema.nullable(),
  /**
   * Findings still sitting in issues of an older style than their mapping's `grouping` (the rule was
   * changed; existing issues do not move): per mapping and old style, e.g. "120 findings in SEC still sit
   * in issues grouped by rule". Counted by the sync from when this tally exists (domain/issue-style.ts).
   */
  oldStyleIssues: z.array(OldStyleIssuesSchema),
});
export type HealthView = z.infer<typeof HealthViewSchema>;

/** The callback events (src/domain/callback-events.ts, which the page cannot bundle: it hashes with node:crypto). */
export const CALLBACK_TYPE_NAMES = [
  'finding.issue_linked',
  'finding.status_changed',
  'finding.issue_deleted',
  'finding.comment_added',
  'finding.comment_updated',
  'finding.comment_deleted',
] as const;

/** A platform callback that was not delivered before its deadline (or was refused for good). */
export const DeadCallbackViewSchema = z.object({
  id: z.string(),
  // Projected from the dead callback (src/domain/outbox-entry.ts), which the page cannot bundle.
  type: z.enum(CALLBACK_TYPE_NAMES),
  /** The issue it is about (a links callback: its first issue) and how many issues it carries. */
  issueKey: z.string(),
  issueCount: z.number().int().min(1),
  findingId: z.string().nullable(),
  attempts: z.number().int().min(0),
  lastStatus: z.number().int().nullable(),
  reason: z.string(),
  lastError: z.string().nullable(),
  failedAt: IsoTimeSchema,
});
export type DeadCallbackView = z.infer<typeof DeadCallbackViewSchema>;

/** A Jira status (+ resolution) the Jira → finding status map does not cover: the domain's record, as it is. */
export { UnmappedStatusSchema, type UnmappedStatus } from '../domain/unmapped-status';

export const CallbackHealthViewSchema = z.object({
  deadCallbacks: z.array(DeadCallbackViewSchema),
  moreDeadCallbacks: z.boolean(),
  deadCallbacksCursor: z.string().nullable(),
  unmappedStatuses: z.array(UnmappedStatusSchema),
});
export type CallbackHealthView = z.infer<typeof CallbackHealthViewSchema>;
export const DeadCallbackPageSchema = z.object({
  deadCallbacks: z.array(DeadCallbackViewSchema),
  cursor: z.string().nullable(),
});

/**
 * A complete scan held for an admin's confirmation: it would close more than the configured share of its
 * scope's open findings (README "Complete scans"). Apply closes them; Discard forgets the scan.
 */
export const HeldScanViewSchema = z.object({
  scanId: z.string(),
  /** `<source>: <tool> on <asset> (category …)`. */
  scope: z.string(),
  receivedAt: IsoTimeSchema,
  heldAt: IsoTimeSchema,
  /** Findings of the scope the scan reported, the scope's open findings, and those it would close. */
  reported: z.number().int().min(0),
  open: z.number().int().min(0),
  missing: z.number().int().min(0),
  /** Set once an admin pressed Apply: the closing is queued. */
  confirmedAt: IsoTimeSchema.nullable(),
});
export type HeldScanView = z.infer<typeof HeldScanViewSchema>;
export const HeldScanPageSchema = z.object({ scans: z.array(HeldScanViewSchema), cursor: z.string().nullable() });
export const HeldScanRequestSchema = z.object({ scanId: z.string().min(1).max(100) }).strict();
