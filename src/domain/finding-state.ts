import { z } from 'zod';
import { FindingStatusSchema } from './finding';
import { hashValue, sha256Hex } from './hash';
import type { Finding } from './finding';

/**
 * What the app remembers about one finding between syncs (one KVS record per finding, keyed by
 * `findingKey`). Pure: schema, key derivation and the "is this re-post news?" decision.
 */

export const FINDING_OUTCOMES = ['linked', 'skipped', 'unrouted', 'dead', 'issue-deleted'] as const;
export type FindingOutcome = (typeof FINDING_OUTCOMES)[number];

const FingerprintSchema = z.object({ value: z.string(), parts: z.record(z.string(), z.string()) });

export const FindingStateSchema = z.object({
  findingKey: z.string(),
  findingId: z.string(),
  source: z.string(),
  lane: z.string(),
  outcome: z.enum(FINDING_OUTCOMES).optional(),
  reason: z.string().optional(),
  issueId: z.string().optional(),
  issueKey: z.string().optional(),
  projectKey: z.string().optional(),
  issueTypeId: z.string().optional(),
  /** Fingerprint of what Jira holds (set when linked). */
  fingerprint: FingerprintSchema.optional(),
  /** Hash of the finding content (without `updatedAt`) last processed to the end. */
  contentHash: z.string().optional(),
  updatedAt: z.string().optional(),
  configRevision: z.number().int().optional(),
  findingStatus: FindingStatusSchema.optional(),
  /** Set right before a bulk create that includes this finding; cleared when the link is stored. */
  pendingCreateSince: z.string().optional(),
  /** Jira refused the owner's account as assignee, so the issue was created without one (field error kept for the admin). */
  assigneeRefused: z.object({ accountId: z.string(), error: z.string(), at: z.string() }).optional(),
  syncedAt: z.string(),
});
export type FindingState = z.output<typeof FindingStateSchema>;

/** The platform's identity of a finding, in the KVS key alphabet (finding ids may hold `/`). */
export function computeFindingKey(source: string, findingId: string): string {
  return `fk-${sha256Hex(`${source}\n${findingId}`).slice(0, 40)}`;
}

/** Hash of everything the platform said about a finding except `updatedAt`. */
export function computeContentHash(finding: Finding): string {
  const { updatedAt: _ignored, ...content } = finding;
  return hashValue(content).slice(0, 32);
}

export type RepostVerdict = 'new' | 'duplicate' | 'stale';

/**
 * Whether a received finding is news. `duplicate`: the same content was already processed to the
 * end (linked; or skipped/unrouted under the same configuration revision). `stale`: an older
 * `updatedAt` than the one already processed. Anything else (including dead letters and work
 * still queued) is `new`, so a re-post is also a retry.
 */
export function judgeRepost(
  finding: Finding,
  contentHash: string,
  state: FindingState | undefined,
  configRevision: number,
): RepostVerdict {
  if (!state) return 'new';
  if (
    finding.updatedAt !== undefined &&
    state.updatedAt !== undefined &&
    Date.parse(finding.updatedAt) < Date.parse(state.updatedAt)
  ) {
    return 'stale';
  }
  if (state.contentHash !== contentHash || state.pendingCreateSince !== undefined) return 'new';
  if (state.outcome === 'linked' || state.outcome === 'issue-deleted') return 'duplicate';
  if ((state.outcome === 'skipped' || state.outcome === 'unrouted') && state.configRevision === configRevision)
    return 'duplicate';
  return 'new';
}
