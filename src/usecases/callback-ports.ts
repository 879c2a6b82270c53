import type { DeliveryAnswer } from '../domain/callback-retry';
import type { PlatformCallback } from '../domain/callback-events';
import type { IssueSyncState } from '../domain/event-ordering';
import type { FindingState } from '../domain/finding-state';
import type { IssueDeletion } from '../domain/issue-deletion';

/**
 * What the Jira → platform use cases need from the outside world (the findings → Jira ports are in
 * `ports.ts`). Adapters in storage/ and platform/ implement these; `platform/callback-composition.ts`
 * wires the real ones.
 */

/** One undelivered callback. `token` names the live retry chain: a queue event with another token is stale. */
export type OutboxEntry = {
  id: string;
  callback: PlatformCallback;
  /** Callbacks of one partition (issue) are delivered one at a time. */
  partition: string;
  createdAt: string;
  attempts: number;
  /** Sum of the waits scheduled so far (see `planCallbackRetry`). */
  waitedMs: number;
  token: string;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  nextAttemptAt?: string;
};

export type DeadCallback = OutboxEntry & { failedAt: string; reason: string };

export interface CallbackOutbox {
  get(id: string): Promise<OutboxEntry | undefined>;
  /** Writes entries that do not exist yet (an existing entry is left as it is). */
  addMany(entries: ReadonlyArray<OutboxEntry>): Promise<void>;
  update(entry: OutboxEntry): Promise<void>;
  markDelivered(entry: OutboxEntry, at: Date): Promise<void>;
  wasDelivered(id: string): Promise<boolean>;
  /** Removes an entry that a newer one replaced. */
  discard(id: string): Promise<void>;
  moveToDead(letter: DeadCallback): Promise<void>;
  getDead(id: string): Promise<DeadCallback | undefined>;
  listDead(options?: { limit?: number; cursor?: string }): Promise<{ letters: DeadCallback[]; cursor?: string }>;
  /** Moves a dead letter back into the outbox (one transaction). */
  revive(letter: DeadCallback, entry: OutboxEntry): Promise<void>;
  listPending(options?: { limit?: number; cursor?: string }): Promise<{ entries: OutboxEntry[]; cursor?: string }>;
}

export type LinkedIssue = {
  issueId: string;
  issueKey: string;
  findingId: string;
  source: string;
  findingKey?: string;
  projectKey?: string;
  mappingId?: string;
};

export interface IssueLinkReader {
  findByIssueId(issueId: string): Promise<LinkedIssue | undefined>;
}

/** Everything one issue event changes, written in one KVS transaction (all or nothing). */
export type IssueEventCommit = {
  issueState?: IssueSyncState;
  outbox?: OutboxEntry;
  /** Removes the finding ↔ issue link and the issue's ordering state. */
  unlinkIssueId?: string;
  /** Records the deletion for the sync consumer (the finding's state itself is the sync's to write). */
  issueDeletion?: IssueDeletion;
};

export interface IssueEventStore {
  getIssueState(issueId: string): Promise<IssueSyncState | undefined>;
  getFindingState(findingKey: string): Promise<FindingState | undefined>;
  commit(change: IssueEventCommit): Promise<void>;
}

export type UnmappedStatusReport = {
  projectKey: string;
  mappingId: string;
  statusId: string;
  statusName: string;
  statusCategoryKey: string;
  resolutionName: string | null;
  exampleIssueKey: string;
  lastSeenAt: string;
};

export interface UnmappedStatusStore {
  report(report: UnmappedStatusReport): Promise<void>;
  list(): Promise<UnmappedStatusReport[]>;
}

export type CallbackQueueEvent = { outboxId: string; partition: string; token: string; delayMs?: number };

export interface CallbackQueue {
  publish(events: ReadonlyArray<CallbackQueueEvent>): Promise<void>;
}

export interface CallbackSender {
  send(request: { url: string; callback: PlatformCallback; secret: string; now: Date }): Promise<DeliveryAnswer>;
}

export interface CallbackSecretReader {
  /** The current signing secret (the one the platform verifies with), if the app has one. */
  currentSecret(): Promise<string | undefined>;
}

export interface IssueResolutionReader {
  /** The issue's resolution name (`null`: unresolved); `undefined` when the issue is gone. */
  getResolution(issueId: string): Promise<string | null | undefined>;
}
