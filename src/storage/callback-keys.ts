import { encodeKeyPart } from './keys';

/**
 * KVS keys of the Jira → platform flow (`keys.ts` holds the rest of the key space; the link itself
 * is `keys.issueLink`). Prefixes are distinct so each family can be listed with `beginsWith`.
 */
export const callbackKeys = {
  /** An undelivered callback (the outbox). Deleted when delivered, superseded or dead. */
  outboxPrefix: () => 'cb:out:',
  outbox: (callbackId: string) => `cb:out:${encodeKeyPart(callbackId)}`,
  /** A delivery receipt, kept 7 days (TTL) so a late duplicate delivery can be recognised. */
  delivered: (callbackId: string) => `cb:done:${encodeKeyPart(callbackId)}`,
  /** A callback given up on: shown to the admin, replayable. */
  deadPrefix: () => 'cb:dead:',
  dead: (callbackId: string) => `cb:dead:${encodeKeyPart(callbackId)}`,
  /** The last Jira event applied per linked issue (ordering, duplicates). */
  issueState: (issueId: string) => `cb:issue:${encodeKeyPart(issueId)}`,
  /** A Jira status the status map does not cover, reported to the admin. */
  unmappedPrefix: () => 'cb:unmapped:',
  unmapped: (projectKey: string, statusId: string, resolution: string) =>
    `cb:unmapped:${encodeKeyPart(projectKey)}:${encodeKeyPart(statusId)}:${encodeKeyPart(resolution)}`,
};
