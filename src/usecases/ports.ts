import type { PlatformCallback } from '../domain/callback-events';
import type { SyncConfig } from '../domain/config';
import type { DeadLetter } from '../domain/dead-letter';
import type { JiraFieldMeta } from '../domain/custom-field';
import type { FindingState } from '../domain/finding-state';
import type { GroupRecord } from '../domain/grouping';
import type { StyleToken } from '../domain/issue-style';
import type { IssueDeletion } from '../domain/issue-deletion';
import type { IssueCreateRequest, IssueTypeMeta } from '../domain/issue-fields';
import type { JiraPriority } from '../domain/mapping';
import type { JiraStatus } from '../domain/status-mapping';
import type { WorkChunk, WorkItem } from '../domain/work-chunks';

/**
 * What the use cases need from the outside world. Adapters in jira/ and storage/ implement these;
 * src/composition.ts wires the real ones.
 */

export type BulkCreateElementError = {
  index: number;
  status: number;
  fieldErrors: Record<string, string>;
  errorMessages: string[];
};
export type BulkCreateResult = {
  /** Created issues by the index of their element in the request. */
  created: Array<{ index: number; issueId: string; issueKey: string }>;
  failed: BulkCreateElementError[];
};

export type AvailableTransition = {
  id: string;
  name: string;
  toStatusId: string;
  toStatusCategoryKey: string;
  /** Fields on the transition screen (expand=transitions.fields). */
  fields: Record<string, { required: boolean; allowedValues?: Array<{ id?: string; name?: string }> }>;
};

export type IssueStatusSnapshot = { issueId: string; issueKey: string; statusId: string; statusCategoryKey: string };

export type RecoveredIssue = { issueId: string; issueKey: string; findingKey: string };

export interface JiraGateway {
  bulkCreateIssues(requests: ReadonlyArray<IssueCreateRequest>): Promise<BulkCreateResult>;
  /** `false` when the issue no longer exists. */
  editIssue(issueId: string, fields: Record<string, unknown>): Promise<boolean>;
  getIssueStatus(issueId: string): Promise<IssueStatusSnapshot | undefined>;
  getTransitions(issueId: string): Promise<AvailableTransition[]>;
  transitionIssue(
    issueId: string,
    body: { transitionId: string; fields?: Record<string, unknown>; comment?: unknown },
  ): Promise<void>;
  /** Issues whose link entity property names one of these finding keys (JQL on the property). */
  findIssuesByFindingKeys(findingKeys: ReadonlyArray<string>): Promise<RecoveredIssue[]>;
  getIssueTypeMeta(projectKey: string, issueType: { id?: string; name?: string }): Promise<IssueTypeMeta>;
  /**
   * The fields of the issue's edit screen (`GET /issue/{id}/editmeta`); `undefined` when the issue no longer exists.
   */
  getEditMeta(issueId: string): Promise<IssueTypeMeta['fields'] | undefined>;
  findAccountIdByEmail(email: string): Promise<string | undefined>;
}

export type StoredSecrets = { current: string; createdAt: string; previous?: string; previousExpiresAt?: string };

export interface SecretStore {
  read(): Promise<StoredSecrets | undefined>;
  createIfAbsent(secrets: StoredSecrets): Promise<boolean>;
  write(secrets: StoredSecrets): Promise<void>;
}

/** A request's hold on its signature id (README "Ingest contract", replays and retries). */
export type ReplayClaim =
  | { outcome: 'claimed' }
  /** A request with this signature was accepted (as `batchId`, when known). */
  | { outcome: 'replayed'; batchId?: string }
  /** Another invocation is handling a request with this signature right now. */
  | { outcome: 'in-flight'; retryAfterSeconds: number };

export interface ReplayGuard {
  claim(signatureId: string, claimUntil: Date, now: Date): Promise<ReplayClaim>;
  accept(signatureId: string, record: { batchId?: string; until: Date }, now: Date): Promise<void>;
  release(signatureId: string): Promise<void>;
}

export interface ConfigStore {
  load(): Promise<{ config: SyncConfig; revision: number }>;
}

export type InboxItem = WorkItem;
export type InboxChunk = { lane: string; receivedAt: string; items: InboxItem[] };

/** When a stored chunk's queue event is next due (the sweep's index: small, by lane). */
export type InboxDue = { chunkKey: string; lane: string; dueAt: string };

export interface InboxStore {
  saveChunks(batchId: string, chunks: ReadonlyArray<WorkChunk>, receivedAt: Date): Promise<string[]>;
  load(chunkKey: string): Promise<InboxChunk | undefined>;
  /** Deletes the chunk and its due record. */
  delete(chunkKey: string, lane: string): Promise<void>;
  markDue(chunkKey: string, lane: string, dueAt: Date): Promise<void>;
  listDue(options: {
    lane?: string;
    limit: number;
    cursor?: string;
  }): Promise<{ entries: InboxDue[]; cursor?: string }>;
  forgetDue(chunkKey: string, lane: string): Promise<void>;
}

export interface FindingStateStore {
  getMany(findingKeys: ReadonlyArray<string>): Promise<Map<string, FindingState>>;
  putMany(states: ReadonlyArray<FindingState>): Promise<void>;
  /** Deletions of linked issues recorded by the Jira → platform flow. */
  getDeletions(findingKeys: ReadonlyArray<string>): Promise<Map<string, IssueDeletion>>;
}

/** Group records: the members of one group issue (written by the sync consumer only). */
export interface GroupStore {
  getMany(groupIds: ReadonlyArray<string>): Promise<Map<string, GroupRecord>>;
  /** Returns the records as stored (their `layout` brought up to date). */
  putMany(records: ReadonlyArray<GroupRecord>): Promise<GroupRecord[]>;
}

export type IssueLinkRecord = {
  issueId: string;
  issueKey: string;
  findingId: string;
  source: string;
  findingKey: string;
  projectKey: string;
  mappingId: string;
  linkedAt: string;
  /** The group (`group:<groupId>`) whose issue this is, or which the finding is a member of. */
  groupId?: string;
};

export interface LinkStore {
  saveMany(links: ReadonlyArray<IssueLinkRecord>): Promise<void>;
}

/** A lease as its holder knows it: the value it stored (`domain/lease.ts`). */
export type HeldLease = { lane: string; token: string; expiresAt: string };

export type LeaseAttempt =
  | { acquired: true; lease: HeldLease; /** Taken over from a holder whose lease expired. */ tookOver: boolean }
  | { acquired: false; expiresAt: Date | undefined };

/**
 * Leases with their expiry in the value (`domain/lease.ts`): one holder at a time, renewable by its holder, taken
 * over by exactly one waiter once expired.
 */
export interface LeaseStore {
  acquire(lane: string, token: string, seconds: number, now: Date): Promise<LeaseAttempt>;
  /** The lease extended to `now + seconds`; `undefined` when it is no longer the caller's (taken over). */
  renew(lease: HeldLease, seconds: number, now: Date): Promise<HeldLease | undefined>;
  /** Gives the lease up if it is still the caller's. */
  release(lease: HeldLease, now: Date): Promise<void>;
}

/** What the sync records for a finding it cannot sync (the one shape: domain/dead-letter.ts). */
export type DeadLetterRecord = DeadLetter;

/** Tells the platform about new links (`finding.issue_linked`), through the callback outbox. */
export type LinkNotifier = {
  issuesLinked(links: ReadonlyArray<IssueLinkRecord>): Promise<void>;
  /** Status changes the app made on its own (a complete scan's closing), through the same outbox. */
  statusChanged(callbacks: ReadonlyArray<{ callback: PlatformCallback; partition: string }>): Promise<void>;
};

export interface DeadLetterStore {
  saveMany(letters: ReadonlyArray<DeadLetterRecord>): Promise<void>;
  /** Removes the dead letters of findings that have since synced. */
  deleteMany(findingKeys: ReadonlyArray<string>): Promise<void>;
}

/** The whole sync waits until `until` (ISO): Jira's hourly points quota for the app is spent (`RateLimit-Reason`). */
export type SyncPause = { until: string; since: string; reason: string };

export interface SyncPauseStore {
  get(): Promise<SyncPause | undefined>;
  /** Records a pause; a pause already recorded that lasts longer stays. */
  pause(pause: SyncPause): Promise<void>;
}

export type CounterName =
  | 'accepted'
  | 'duplicates'
  | 'rejected'
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'transitioned'
  | 'skipped'
  | 'unrouted'
  | 'failed'
  | 'recovered'
  | 'assigneeDropped';

export interface StatsStore {
  record(id: string, counts: Partial<Record<CounterName, number>>, at: Date): Promise<void>;
  /**
   * One attempt at a sync chunk: what happened to each of its findings. Attempts at the same
   * chunk merge into one record (see `mergeChunkOutcomes`), so a retry never counts twice.
   */
  recordChunk(chunkKey: string, outcomes: Record<string, Array<CounterName | StyleToken>>, at: Date): Promise<void>;
}

export interface CacheStore {
  get(name: string): Promise<unknown>;
  put(name: string, value: unknown, ttlSeconds: number): Promise<void>;
}

/** `dueAt`: when the event was meant to run (ISO), so a consumer can tell which of its lane's chunks are overdue. */
export type SyncEvent = { chunkKey: string; lane: string; requeues?: number; dueAt?: string };

export interface SyncQueue {
  publish(events: ReadonlyArray<SyncEvent>, delayInSeconds?: number): Promise<void>;
}

export interface Logger {
  info(message: string, facts?: Record<string, unknown>): void;
  warn(message: string, facts?: Record<string, unknown>): void;
}

export type { JiraFieldMeta, JiraPriority, JiraStatus };
