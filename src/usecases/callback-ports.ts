import type { DeliveryAnswer } from '../domain/callback-retry';
import type { PlatformCallback } from '../domain/callback-events';
import type { IssueSyncState } from '../domain/event-ordering';
import type { FindingState } from '../domain/finding-state';
import type { IssueDeletion } from '../domain/issue-deletion';
import type { DeadCallback, OutboxEntry } from '../domain/outbox-entry';
import type { UnmappedStatus } from '../domain/unmapped-status';

/**
 * What the Jira → platform use cases need from the outside world (the findings → Jira ports are in
 * `ports.ts`). Adapters in storage/ and platform/ implement these; `platform/callback-composition.ts`
 * wires the real ones.
 */

export type { DeadCallback, OutboxEntry };

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
  /** A group issue: its members are in the group record. */
  groupId?: string;
};

export interface IssueLinkReader {
  findByIssueId(issueId: string): Promise<LinkedIssue | undefined>;
}

/** Everything one issue event changes, written in one KVS transaction (all or nothing). */
export type IssueEventCommit = {
  issueState?: IssueSyncState;
  outbox?: OutboxEntry;
  /** More outbox entries (a group issue's callbacks; ≤ 20 per commit). */
  outboxes?: ReadonlyArray<OutboxEntry>;
  /** Removes the finding ↔ issue link and the issue's ordering state. */
  unlinkIssueId?: string;
  /** Records the deletion for the sync consumer (the finding's state itself is the sync's to write). */
  issueDeletion?: IssueDeletion;
};

export interface IssueEventStore {
  getIssueState(issueId: string): Promise<IssueSyncState | undefined>;
  getFindingState(findingKey: string): Promise<FindingState | undefined>;
  commit(change: IssueEventCommit): Promise<void>;
  /** An undelivered callback, to queue it again when the first push failed. */
  getOutboxEntry(callbackId: string): Promise<OutboxEntry | undefined>;
}

export interface UnmappedStatusStore {
  report(status: UnmappedStatus): Promise<void>;
  list(): Promise<UnmappedStatus[]>;
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
