import { z } from 'zod';
import { FindingStatusSchema, type FindingStatus } from './finding';
import { hashValue, sha256Hex } from './hash';
import type { Finding } from './finding';
import { GroupingSchema, type Grouping } from './grouping-mode';
import { StyleTallySchema, type StyleTally } from './issue-style';

/**
 * What the app remembers about one finding between syncs (one KVS record per finding, keyed by
 * `findingKey`): a union tagged by `outcome`. Pure: the types, the stored schema (older records are
 * upgraded on read), key derivation and the "is this re-post news?" decision. The transitions
 * between states are in `finding-state-transitions.ts`.
 *
 *   (none) ─▶ pending ─▶ linked ─▶ issue-deleted ─▶ pending ─▶ …
 *       │        └─────▶ dead ─────▶ pending (a re-post retries)
 *       └─▶ skipped | unrouted ─▶ pending (the policy or the routing changed)
 */

export const FINDING_OUTCOMES = ['pending', 'linked', 'skipped', 'unrouted', 'dead', 'issue-deleted'] as const;
export type FindingOutcome = (typeof FINDING_OUTCOMES)[number];

/** Stays beside the routing targets' ids; no mapping may use it. */
export const UNROUTED_LANE = '_unrouted';

const FingerprintSchema = z.object({ value: z.string(), parts: z.record(z.string(), z.string()) });
export type StoredFingerprint = z.output<typeof FingerprintSchema>;

const AssigneeRefusalSchema = z.object({ accountId: z.string(), error: z.string(), at: z.string() });
/**
 * Jira refused the owner's account as assignee, so the issue was written without one (field error kept for the admin).
 */
export type AssigneeRefusal = z.output<typeof AssigneeRefusalSchema>;

const SettledVersionSchema = z.object({ contentHash: z.string(), configRevision: z.number().int() });
/**
 * The version of the finding processed to the end: its content hash and the configuration revision
 * it was judged under. A state without one is not done with its current version, so a re-post of
 * the same content is news (it retries).
 */
export type SettledVersion = z.output<typeof SettledVersionSchema>;

type StateBase = {
  findingKey: string;
  findingId: string;
  source: string;
  /** The routing target the finding was last synced through (`UNROUTED_LANE` when none). */
  lane: string;
  /**
   * The scan scope whose index (`scope:<id>:<findingKey>`) the sync consumer lists the finding under,
   * recorded with each state it writes. Absent: synced before complete scans, never indexed — an
   * unchanged re-post is then still queued once, to enter the index (`needsScopeIndex`).
   */
  scope?: string;
  /** The newest `updatedAt` of the finding processed: an older version is stale. */
  updatedAt?: string;
  syncedAt: string;
  /** The issue style the finding is counted under on the Health tab (domain/issue-style.ts). */
  tally?: StyleTally;
};

/** Marked right before the bulk create that holds it: a later attempt searches Jira before creating. */
export type PendingState = StateBase & {
  outcome: 'pending';
  pendingCreateSince: string;
  /** Kept in the mark so that a recovery after a crash still knows why the assignee is missing. */
  assigneeRefused?: AssigneeRefusal;
};

export type LinkedState = StateBase & {
  outcome: 'linked';
  issueId: string;
  issueKey: string;
  projectKey?: string;
  issueTypeId?: string;
  /** Fingerprint of what Jira holds. */
  fingerprint?: StoredFingerprint;
  /** The finding status Jira's issue status follows. */
  findingStatus?: FindingStatus;
  assigneeRefused?: AssigneeRefusal;
  reason?: string;
  /** A member of a group issue (`issueId` is the group's issue; the group record lists the members). */
  groupId?: string;
  /** The group's grouping when it joined (absent in records written before it was kept). */
  grouping?: Exclude<Grouping, 'none'>;
  /** Absent: Jira is behind the finding (an edit failed, or the link was just recovered). */
  settled?: SettledVersion;
};

export type IssueDeletedState = StateBase & {
  outcome: 'issue-deleted';
  issueId?: string;
  issueKey?: string;
  projectKey?: string;
  reason?: string;
  /** Absent: the deletion is to be undone by re-creating the issue on the next re-post. */
  settled?: SettledVersion;
};

/** Jira refused to create the issue (a dead letter holds why); a re-post retries. */
export type DeadState = StateBase & { outcome: 'dead'; reason: string };

export type SkippedState = StateBase & { outcome: 'skipped'; reason: string; settled?: SettledVersion };
export type UnroutedState = StateBase & { outcome: 'unrouted'; reason: string; settled?: SettledVersion };

type Variant = PendingState | LinkedState | IssueDeletedState | DeadState | SkippedState | UnroutedState;
type KeysOfUnion<T> = T extends unknown ? keyof T : never;
/** Each variant with the other variants' fields typed as absent, so `state.reason` reads on any state. */
type Exclusive<V, All = V> = V extends unknown ? V & { [K in Exclude<KeysOfUnion<All>, keyof V>]?: undefined } : never;

export type FindingState = Exclusive<Variant>;

/**
 * The stored record, as every version of the app wrote it. Before the union, the tag was optional
 * (`undefined` + `pendingCreateSince` = a pending mark; `undefined` alone = cleared for re-creation
 * after a deletion) and `contentHash` / `configRevision` sat at the top, a missing `contentHash`
 * meaning "retry on re-post".
 */
export const StoredFindingStateSchema = z.object({
  findingKey: z.string(),
  findingId: z.string(),
  source: z.string(),
  lane: z.string(),
  scope: z.string().optional(),
  outcome: z.enum(FINDING_OUTCOMES).optional(),
  reason: z.string().optional(),
  issueId: z.string().optional(),
  issueKey: z.string().optional(),
  projectKey: z.string().optional(),
  issueTypeId: z.string().optional(),
  fingerprint: FingerprintSchema.optional(),
  settled: SettledVersionSchema.optional(),
  updatedAt: z.string().optional(),
  findingStatus: FindingStatusSchema.optional(),
  pendingCreateSince: z.string().optional(),
  assigneeRefused: AssigneeRefusalSchema.optional(),
  groupId: z.string().optional(),
  grouping: GroupingSchema.exclude(['none']).optional(),
  tally: StyleTallySchema.optional(),
  syncedAt: z.string(),
  /** Older records: see `settled`. */
  contentHash: z.string().optional(),
  configRevision: z.number().int().optional(),
});
export type StoredFindingState = z.output<typeof StoredFindingStateSchema>;

/** Parses a stored record of any version into the current union; `undefined` when it is not one. */
export function parseFindingState(raw: unknown): { ok: true; state: FindingState } | { ok: false; message: string } {
  const parsed = StoredFindingStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${issue?.path.join('.') || '(record)'}: ${issue?.message}` };
  }
  return { ok: true, state: upgradeFindingState(parsed.data) };
}

function omitUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The current union from a record of any version (records already in the union pass unchanged). */
export function upgradeFindingState(stored: StoredFindingState): FindingState {
  const base: StateBase = omitUndefined({
    findingKey: stored.findingKey,
    findingId: stored.findingId,
    source: stored.source,
    lane: stored.lane,
    scope: stored.scope,
    updatedAt: stored.updatedAt,
    syncedAt: stored.syncedAt,
    tally: stored.tally,
  });
  const settled =
    stored.settled ??
    (stored.contentHash !== undefined && stored.configRevision !== undefined
      ? { contentHash: stored.contentHash, configRevision: stored.configRevision }
      : undefined);
  const legacyPending = stored.outcome !== 'pending' && stored.pendingCreateSince !== undefined;
  const linkWithoutIssue = stored.outcome === 'linked' && (!stored.issueId || !stored.issueKey);
  if (stored.outcome === 'pending' || legacyPending || linkWithoutIssue) {
    // A link without its issue is treated like a mark: Jira is searched before anything is created.
    return omitUndefined({
      ...base,
      outcome: 'pending',
      pendingCreateSince: stored.pendingCreateSince ?? stored.syncedAt,
      assigneeRefused: stored.assigneeRefused,
    });
  }
  switch (stored.outcome) {
    case 'linked':
      return omitUndefined({
        ...base,
        outcome: 'linked',
        issueId: stored.issueId!,
        issueKey: stored.issueKey!,
        projectKey: stored.projectKey,
        issueTypeId: stored.issueTypeId,
        fingerprint: stored.fingerprint,
        findingStatus: stored.findingStatus,
        assigneeRefused: stored.assigneeRefused,
        reason: stored.reason,
        groupId: stored.groupId,
        grouping: stored.grouping,
        settled,
      });
    case 'dead':
      return { ...base, outcome: 'dead', reason: stored.reason ?? '' };
    case 'skipped':
    case 'unrouted':
      return omitUndefined({ ...base, outcome: stored.outcome, reason: stored.reason ?? '', settled });
    case 'issue-deleted':
    case undefined:
      // No tag and no mark: an older version cleared the state for re-creation after a deletion.
      return omitUndefined({
        ...base,
        outcome: 'issue-deleted',
        issueId: stored.issueId,
        issueKey: stored.issueKey,
        projectKey: stored.projectKey,
        reason: stored.reason,
        settled: stored.outcome === undefined ? undefined : settled,
      });
  }
}

/** The platform's identity of a finding, in the KVS key alphabet (finding ids may hold `/`). */
export function computeFindingKey(source: string, findingId: string): string {
  return `fk-${sha256Hex(`${source}\n${findingId}`).slice(0, 40)}`;
}

/** Hash of everything the platform said about a finding except `updatedAt`. */
export function computeContentHash(finding: Finding): string {
  const { updatedAt: _ignored, ...content } = finding;
  return hashValue(content).slice(0, 32);
}

/** An older `updatedAt` than the one already processed. */
export function isStaleVersion(finding: Finding, state: FindingState): boolean {
  return (
    finding.updatedAt !== undefined &&
    state.updatedAt !== undefined &&
    Date.parse(finding.updatedAt) < Date.parse(state.updatedAt)
  );
}

export type RepostVerdict = 'new' | 'duplicate' | 'stale';

/**
 * Whether a received finding is news. `duplicate`: the same content was already settled (linked or
 * issue-deleted; or skipped/unrouted under the same configuration revision). `stale`: an older
 * `updatedAt` than the one already processed. Anything else (pending marks, dead letters, a state
 * whose last attempt did not settle) is `new`, so a re-post is also a retry.
 */
export function judgeRepost(
  finding: Finding,
  contentHash: string,
  state: FindingState | undefined,
  configRevision: number,
): RepostVerdict {
  if (!state) return 'new';
  if (isStaleVersion(finding, state)) return 'stale';
  switch (state.outcome) {
    case 'pending':
    case 'dead':
      return 'new';
    case 'linked':
    case 'issue-deleted':
      return state.settled?.contentHash === contentHash ? 'duplicate' : 'new';
    case 'skipped':
    case 'unrouted':
      return state.settled?.contentHash === contentHash && state.settled.configRevision === configRevision
        ? 'duplicate'
        : 'new';
  }
}

/**
 * A re-post judged `duplicate` that must still reach the sync consumer once: the finding is open but
 * its state names no scope, or another one, than the post gives it — it was synced before complete
 * scans existed (or its scope changed without its content), so its scope's index does not list it and
 * a complete scan could never close it. The consumer writes the index entry and the state's scope
 * (no Jira call: the content is settled); the next re-post is an ordinary duplicate. A finding whose
 * issue was deleted is left alone: it has no issue to close, and queueing it under `onDeletedIssue:
 * recreate` would re-create the issue for a re-post that changed nothing.
 */
export function needsScopeIndex(state: FindingState | undefined, scope: string, open: boolean): boolean {
  return open && state !== undefined && state.outcome !== 'issue-deleted' && state.scope !== scope;
}
