import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { kvs } from './kvs-client';
import { ConflictError } from '../usecases/errors';
import type { ReplayClaim } from '../usecases/ports';
import { keys } from './keys';

/**
 * The ingest replay guard, tied to acceptance. One record per signature id: *claimed* (`FAIL_IF_EXISTS`, atomic) by
 * the invocation handling the request, for at most as long as an invocation runs; *accepted* once its findings are
 * stored, until the signature expires; deleted (released) when the request was not accepted, so the platform's honest
 * retry of the same signed request is handled as new.
 *
 * Every decision reads the expiry written in the value (`until`), never the key's TTL alone: Forge documents TTL, not
 * how promptly an expired key disappears (the sandbox's lazy-TTL fault mode). The TTL only collects the garbage.
 */
const RecordSchema = z.union([
  // Written before claims existed: a request that was accepted.
  z.literal(1),
  z.object({ state: z.literal('claimed'), token: z.string(), until: z.string() }),
  z.object({ state: z.literal('accepted'), until: z.string(), batchId: z.string().optional() }),
]);
type ReplayRecord = z.output<typeof RecordSchema>;

const MAX_CLAIM_ATTEMPTS = 3;

function ttlUntil(until: Date, now: Date) {
  return { value: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)), unit: 'SECONDS' as const };
}

/** What an existing record means for a new request with the same signature, at `now`. */
function judge(value: unknown, now: Date): ReplayClaim | 'stale' {
  const parsed = RecordSchema.safeParse(value);
  // Unreadable: refused as a replay (nothing is stored twice; the platform signs its next request anew).
  if (!parsed.success || parsed.data === 1) return { outcome: 'replayed' };
  const record = parsed.data;
  if (record.state === 'accepted')
    return { outcome: 'replayed', ...(record.batchId ? { batchId: record.batchId } : {}) };
  const left = new Date(record.until).getTime() - now.getTime();
  // A claim past its `until` belongs to an invocation that cannot be running any more (it crashed, or timed out).
  if (!(left > 0)) return 'stale';
  return { outcome: 'in-flight', retryAfterSeconds: Math.ceil(left / 1000) };
}

/**
 * Takes over a stale claim in one atomic swap (`returnValue: 'PREVIOUS'`): the previous value says whether the
 * swap replaced the stale claim (ours now), an accepted record (put back: a replay) or a newer claim (another
 * retry took it over first: in flight, and the record stays a live claim either way).
 */
async function takeOver(key: string, token: string, until: Date, now: Date): Promise<ReplayClaim> {
  const claim: ReplayRecord = { state: 'claimed', token, until: until.toISOString() };
  const previous = await kvs.set<ReplayRecord, unknown>(key, claim, {
    keyPolicy: 'OVERRIDE',
    returnValue: 'PREVIOUS',
    ttl: ttlUntil(until, now),
  });
  const verdict = previous === undefined ? 'stale' : judge(previous.value, now);
  if (verdict === 'stale') return { outcome: 'claimed' };
  if (verdict.outcome === 'replayed') {
    const parsed = RecordSchema.safeParse(previous?.value);
    const keepUntil =
      parsed.success && parsed.data !== 1 ? new Date(parsed.data.until) : new Date(now.getTime() + 3600_000);
    await kvs.set(key, previous?.value ?? 1, { ttl: ttlUntil(keepUntil, now) });
  }
  return verdict;
}

export const replayGuard = {
  /**
   * Claims the signature for this invocation until `claimUntil`. `claimed` the first time (or after a release, or once
   * a crashed invocation's claim is past its `until`); `replayed` once a request with it was accepted; `in-flight`
   * while another invocation holds it. Exactly one of two racing requests is `claimed`.
   */
  async claim(signatureId: string, claimUntil: Date, now: Date): Promise<ReplayClaim> {
    const key = keys.replay(signatureId);
    const token = randomUUID();
    const claim: ReplayRecord = { state: 'claimed', token, until: claimUntil.toISOString() };
    for (let attempt = 1; ; attempt++) {
      try {
        await kvs.set(key, claim, { keyPolicy: 'FAIL_IF_EXISTS', ttl: ttlUntil(claimUntil, now) });
        return { outcome: 'claimed' };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
      const existing = await kvs.get(key);
      // Gone between the two calls (released, or collected): try again, a bounded number of times.
      if (existing === undefined && attempt < MAX_CLAIM_ATTEMPTS) continue;
      const verdict = existing === undefined ? 'stale' : judge(existing, now);
      return verdict === 'stale' ? takeOver(key, token, claimUntil, now) : verdict;
    }
  },
  /** The request was accepted: a request with this signature is a replay until the signature expires. */
  async accept(signatureId: string, record: { batchId?: string; until: Date }, now: Date): Promise<void> {
    const value: ReplayRecord = {
      state: 'accepted',
      until: record.until.toISOString(),
      ...(record.batchId ? { batchId: record.batchId } : {}),
    };
    await kvs.set(keys.replay(signatureId), value, { ttl: ttlUntil(record.until, now) });
  },
  /**
   * The request was not accepted: forget the claim, so a retry of it is handled as new. Only the claim's holder calls
   * this, while its claim is live (an invocation ends before its claim's `until`), so one delete, no read.
   */
  async release(signatureId: string): Promise<void> {
    await kvs.delete(keys.replay(signatureId));
  },
};
