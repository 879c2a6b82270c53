/**
 * KVS key builders. Forge keys: ≤ 500 characters of [a-zA-Z0-9:._\s-#] — no `/`. Every key the app
 * writes is built here so that the key space stays documented in one place.
 */
const SAFE = /[^a-zA-Z0-9:._-]/g;

/** Encodes an arbitrary id into the key alphabet, reversibly enough to stay unique. */
export function encodeKeyPart(value: string): string {
  return value.replace(SAFE, (c) => `#${c.codePointAt(0)!.toString(16)}.`);
}

export const keys = {
  healthLastRun: () => 'health:last-run',
  /** Finding ↔ issue link by Jira issue id (issue events). */
  issueLink: (issueId: string) => `link:issue:${encodeKeyPart(issueId)}`,
  /** Secret storage (kvs.setSecret): the ingest signing secrets. */
  signingSecret: () => 'signing-secret',
  /** A signature already seen (replay guard), kept for the signature window. */
  replay: (signatureId: string) => `replay:${encodeKeyPart(signatureId)}`,
  syncConfig: () => 'config:sync',
  /** Accepted findings waiting for the consumer: one chunk per queue event. */
  inboxChunk: (batchId: string, index: number) => `inbox:${encodeKeyPart(batchId)}:${index}`,
  /**
   * When a stored chunk's queue event is next due (small; the sweep reads these, never the chunks): by lane, then the
   * chunk key's tail. Built from the event's `lane` and `chunkKey` alone.
   */
  inboxDuePrefix: () => 'inbox-due:',
  inboxDueLanePrefix: (lane: string) => `inbox-due:${encodeKeyPart(lane)}:`,
  inboxDue: (lane: string, chunkKey: string) =>
    `inbox-due:${encodeKeyPart(lane)}:${chunkKey.startsWith('inbox:') ? chunkKey.slice(6) : encodeKeyPart(chunkKey)}`,
  /** Per-finding sync state; `findingKey` is already in the key alphabet (a hash). */
  findingState: (findingKey: string) => `finding:${encodeKeyPart(findingKey)}`,
  /** One consumer at a time per lane (routing target). */
  lease: (lane: string) => `lease:${encodeKeyPart(lane)}`,
  /** Won (FAIL_IF_EXISTS) by the one who may replace the lease value `(token, expiresAt)` (domain/lease.ts). */
  leaseStep: (lane: string, token: string, expiresAt: string) =>
    `lease-step:${encodeKeyPart(lane)}:${encodeKeyPart(token)}:${Date.parse(expiresAt)}`,
  /** A deleted Jira issue of a finding, written by the Jira → platform flow, applied by the sync. */
  findingDeletion: (findingKey: string) => `finding-deleted:${encodeKeyPart(findingKey)}`,
  /** One group of findings shown as one Jira issue; `groupId` is already in the key alphabet (a hash). */
  group: (groupId: string) => `group:${encodeKeyPart(groupId)}`,
  /** Member page n ≥ 1 of a group too big for one value (page 0 sits in the group record). */
  groupPage: (groupId: string, page: number) => `group-page:${encodeKeyPart(groupId)}:${page}`,
  deadLetterPrefix: () => 'dead:',
  deadLetter: (findingKey: string) => `dead:${encodeKeyPart(findingKey)}`,
  statsPrefix: () => 'stats:',
  stats: (id: string) => `stats:${encodeKeyPart(id)}`,
  /** Health counter roll-ups (custom entities): one shard of one hour's bucket, and the window of daily totals. */
  rollupHour: (hour: string, shard: number) => `rollup:h:${encodeKeyPart(hour)}:${shard}`,
  rollupWindow: () => 'rollup:window',
  /** The latest bulk admin job of a kind (Replay all). */
  bulkJob: (kind: string) => `job:${encodeKeyPart(kind)}`,
  cache: (name: string) => `cache:${encodeKeyPart(name)}`,
  /** Comments the app wrote on a linked issue (platform comment id → Jira comment), written by the sync. */
  appComments: (issueId: string) => `comments:app:${encodeKeyPart(issueId)}`,
  /** Jira comments of a linked issue reported to the platform, written by the comment-event trigger. */
  jiraComments: (issueId: string) => `comments:jira:${encodeKeyPart(issueId)}`,
  /** An open finding of a scan scope (`scopeId` and `findingKey` are hashes): the complete-scan index. */
  scopeIndexPrefix: (scopeId: string) => `scope:${encodeKeyPart(scopeId)}:`,
  scopeIndex: (scopeId: string, findingKey: string) => `scope:${encodeKeyPart(scopeId)}:${encodeKeyPart(findingKey)}`,
  /** A complete scan waiting to close what it no longer reports. */
  scan: (scanId: string) => `scan:${encodeKeyPart(scanId)}`,
  /** A complete scan held for an admin's confirmation. */
  heldScanPrefix: () => 'scan-held:',
  heldScan: (scanId: string) => `scan-held:${encodeKeyPart(scanId)}`,
  /** The whole sync waits for Jira's hourly points quota to reset. */
  syncPause: () => 'sync:pause',
};
