import type { Finding, FindingStatus } from './finding';
import type { Grouping } from './grouping-mode';
import {
  computeContentHash,
  UNROUTED_LANE,
  type AssigneeRefusal,
  type DeadState,
  type FindingState,
  type IssueDeletedState,
  type LinkedState,
  type PendingState,
  type SettledVersion,
  type SkippedState,
  type StoredFingerprint,
  type UnroutedState,
} from './finding-state';

/**
 * The moves between finding states, pure: each builds the next state from the finding, the
 * previous state and the moment (no clock; no field of an earlier variant leaks into the next).
 */

/** The finding being synced (an inbox item); `scope`: the scan scope whose index lists it (`scan-scope.ts`). */
export type SyncSubject = { findingKey: string; source: string; finding: Finding; scope?: string };
/** When, and under which configuration revision. */
export type SyncMoment = { now: Date; configRevision: number };

export type IssueRef = { issueId: string; issueKey: string; projectKey: string; issueTypeId?: string };

function base(subject: SyncSubject, previous: FindingState | undefined, lane: string | undefined, now: Date) {
  const scope = subject.scope ?? previous?.scope;
  return {
    findingKey: subject.findingKey,
    findingId: subject.finding.id,
    source: subject.source,
    lane: lane ?? previous?.lane ?? UNROUTED_LANE,
    ...(scope !== undefined ? { scope } : {}),
    ...(previous?.updatedAt !== undefined ? { updatedAt: previous.updatedAt } : {}),
    syncedAt: now.toISOString(),
    // What the finding is counted under on the Health tab goes on; the sync's write updates it (issue-style.ts).
    ...(previous?.tally !== undefined ? { tally: previous.tally } : {}),
  };
}

/** The version being processed, settled: later re-posts of the same content are duplicates. */
function settle(subject: SyncSubject, previous: FindingState | undefined, moment: SyncMoment) {
  const updatedAt = subject.finding.updatedAt ?? previous?.updatedAt;
  const settled: SettledVersion = {
    contentHash: computeContentHash(subject.finding),
    configRevision: moment.configRevision,
  };
  return { ...(updatedAt !== undefined ? { updatedAt } : {}), settled };
}

export function describeAssigneeRefusal(refusal: AssigneeRefusal): string {
  return `Created without the owner as assignee: Jira refused account ${refusal.accountId} (field assignee)`;
}

/** Right before a bulk create. An earlier mark's assignee refusal is kept unless a new one is given. */
export function markPending(
  subject: SyncSubject,
  previous: FindingState | undefined,
  lane: string,
  now: Date,
  assigneeRefused?: AssigneeRefusal,
): PendingState {
  const refusal = assigneeRefused ?? (previous?.outcome === 'pending' ? previous.assigneeRefused : undefined);
  return {
    ...base(subject, previous, lane, now),
    outcome: 'pending',
    pendingCreateSince: now.toISOString(),
    ...(refusal ? { assigneeRefused: refusal } : {}),
  };
}

/** The issue was created from this version of the finding. */
export function linkIssue(
  subject: SyncSubject,
  previous: FindingState | undefined,
  link: {
    lane: string;
    issue: IssueRef;
    fingerprint: StoredFingerprint;
    findingStatus: FindingStatus;
    assigneeRefused?: AssigneeRefusal;
  },
  moment: SyncMoment,
): LinkedState {
  return {
    ...base(subject, previous, link.lane, moment.now),
    ...settle(subject, previous, moment),
    outcome: 'linked',
    ...link.issue,
    fingerprint: link.fingerprint,
    findingStatus: link.findingStatus,
    ...(link.assigneeRefused
      ? { assigneeRefused: link.assigneeRefused, reason: describeAssigneeRefusal(link.assigneeRefused) }
      : {}),
  };
}

/**
 * A crashed attempt created the issue but died before storing the link: linked, not settled (what
 * Jira holds is not known, so the update path brings it to this version).
 */
export function recoverLink(subject: SyncSubject, pending: PendingState, lane: string, issue: IssueRef, now: Date) {
  const linked: LinkedState = {
    ...base(subject, pending, lane, now),
    outcome: 'linked',
    ...issue,
    ...(pending.assigneeRefused
      ? { assigneeRefused: pending.assigneeRefused, reason: describeAssigneeRefusal(pending.assigneeRefused) }
      : {}),
  };
  return linked;
}

/** Jira refused the create (a dead letter says why). */
export function markDead(
  subject: SyncSubject,
  previous: FindingState | undefined,
  lane: string,
  reason: string,
  now: Date,
): DeadState {
  return { ...base(subject, previous, lane, now), outcome: 'dead', reason };
}

export function markSkipped(
  subject: SyncSubject,
  previous: FindingState | undefined,
  lane: string,
  reason: string,
  moment: SyncMoment,
): SkippedState {
  return {
    ...base(subject, previous, lane, moment.now),
    ...settle(subject, previous, moment),
    outcome: 'skipped',
    reason,
  };
}

export function markUnrouted(
  subject: SyncSubject,
  previous: FindingState | undefined,
  reason: string,
  moment: SyncMoment,
): UnroutedState {
  return {
    ...base(subject, previous, UNROUTED_LANE, moment.now),
    ...settle(subject, previous, moment),
    outcome: 'unrouted',
    reason,
  };
}

/**
 * After an update: what Jira now holds. `settled` only when every part was applied; otherwise the
 * state stays behind, so the next re-post of the same content retries.
 */
export function recordUpdate(
  subject: SyncSubject,
  state: LinkedState,
  update: {
    fingerprint: StoredFingerprint | undefined;
    findingStatus: FindingStatus | undefined;
    assigneeRefused?: AssigneeRefusal;
    settled: boolean;
  },
  moment: SyncMoment,
): LinkedState {
  const { settled: _previous, fingerprint: _fingerprint, findingStatus: _status, ...rest } = state;
  return {
    ...rest,
    ...base(subject, state, state.lane, moment.now),
    ...(update.assigneeRefused
      ? { assigneeRefused: update.assigneeRefused, reason: describeAssigneeRefusal(update.assigneeRefused) }
      : {}),
    ...(update.fingerprint ? { fingerprint: update.fingerprint } : {}),
    ...(update.findingStatus ? { findingStatus: update.findingStatus } : {}),
    ...(update.settled ? settle(subject, state, moment) : {}),
  };
}

/** Nothing to do for this version of a state that is kept as it is: it is settled all the same. */
export function resettle<S extends LinkedState | IssueDeletedState>(
  subject: SyncSubject,
  state: S,
  moment: SyncMoment,
): S {
  return { ...state, ...base(subject, state, state.lane, moment.now), ...settle(subject, state, moment) };
}

/**
 * The sync found the linked issue gone (404). `ignore`: the finding keeps no issue, re-posts are
 * duplicates; `recreate`: not settled, so the next re-post creates the issue again.
 */
export function markIssueDeleted(
  subject: SyncSubject,
  state: LinkedState,
  policy: 'ignore' | 'recreate',
  moment: SyncMoment,
): IssueDeletedState {
  const deleted: IssueDeletedState = {
    ...base(subject, state, state.lane, moment.now),
    outcome: 'issue-deleted',
    issueId: state.issueId,
    issueKey: state.issueKey,
    ...(state.projectKey ? { projectKey: state.projectKey } : {}),
  };
  return policy === 'ignore' ? { ...deleted, ...settle(subject, state, moment) } : deleted;
}

/**
 * A member of a group issue, up to date with this version of the finding when `settled` (the group
 * issue shows it); otherwise the next re-post of the same content retries.
 */
export function joinGroup(
  subject: SyncSubject,
  previous: FindingState | undefined,
  member: {
    lane: string;
    groupId: string;
    grouping?: Exclude<Grouping, 'none'>;
    issue: IssueRef;
    findingStatus: FindingStatus;
    settled: boolean;
  },
  moment: SyncMoment,
): LinkedState {
  return {
    ...base(subject, previous, member.lane, moment.now),
    outcome: 'linked',
    ...member.issue,
    groupId: member.groupId,
    ...(member.grouping ? { grouping: member.grouping } : {}),
    findingStatus: member.findingStatus,
    ...(member.settled ? settle(subject, previous, moment) : {}),
  };
}
