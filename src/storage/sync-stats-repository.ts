import { kvs } from './kvs-client';
import { z } from 'zod';
import { countChunkOutcomes, mergeChunkOutcomes } from '../domain/chunk-outcomes';
import { keys } from './keys';
import { scanPrefix } from './kvs-scan';

/**
 * Health counters. Concurrent consumers must not lose increments, and KVS has no atomic add, so
 * each unit of work (an ingest request, a processed chunk) writes its own small record with a TTL,
 * and the totals are the sum over the records (paged query by prefix). One write per 50 findings.
 * A sync chunk keeps one record over all its attempts (per-finding outcomes, merged), so retries
 * never count a finding twice.
 */
export const SYNC_COUNTERS = [
  'accepted',
  'duplicates',
  'rejected',
  'created',
  'updated',
  'unchanged',
  'transitioned',
  'skipped',
  'unrouted',
  'failed',
  'recovered',
  'assigneeDropped',
] as const;
export type SyncCounter = (typeof SYNC_COUNTERS)[number];
export type SyncCounts = Record<SyncCounter, number>;

const STATS_TTL_DAYS = 30;
const StatsRecordSchema = z.object({
  at: z.string(),
  counts: z.record(z.string(), z.number()),
  findings: z.record(z.string(), z.array(z.enum(SYNC_COUNTERS))).optional(),
});
const INGEST_COUNTERS: readonly SyncCounter[] = ['accepted', 'duplicates', 'rejected'];

export function emptyCounts(): SyncCounts {
  return Object.fromEntries(SYNC_COUNTERS.map((name) => [name, 0])) as SyncCounts;
}

export const syncStatsRepository = {
  async record(id: string, counts: Partial<SyncCounts>, at: Date): Promise<void> {
    const nonZero = Object.fromEntries(
      Object.entries(counts).filter(([, value]) => value !== undefined && value !== 0),
    );
    if (Object.keys(nonZero).length === 0) return;
    await kvs.set(
      keys.stats(id),
      { at: at.toISOString(), counts: nonZero },
      { ttl: { value: STATS_TTL_DAYS, unit: 'DAYS' } },
    );
  },
  /**
   * One record per sync chunk (`stats:sync:<chunk>`), merged over its attempts: read, merge, write.
   * Only the holder of the chunk's lane lease calls this, so the read-modify-write does not race.
   */
  async recordChunk(chunkKey: string, outcomes: Record<string, SyncCounter[]>, at: Date): Promise<void> {
    if (Object.keys(outcomes).length === 0) return;
    const key = keys.stats(`sync:${chunkKey}`);
    const stored = StatsRecordSchema.safeParse(await kvs.get(key));
    const findings = mergeChunkOutcomes(stored.success ? stored.data.findings : undefined, outcomes);
    await kvs.set(
      key,
      { at: at.toISOString(), counts: countChunkOutcomes(findings), findings },
      { ttl: { value: STATS_TTL_DAYS, unit: 'DAYS' } },
    );
  },
  /** Totals over the last 30 days. */
  async totals(): Promise<SyncCounts> {
    const totals = emptyCounts();
    for await (const { value } of scanPrefix(keys.statsPrefix())) {
      const parsed = StatsRecordSchema.safeParse(value);
      if (!parsed.success) continue;
      for (const name of SYNC_COUNTERS) totals[name] += parsed.data.counts[name] ?? 0;
    }
    return totals;
  },
  /**
   * When findings last arrived (an ingest record with accepted, duplicate or rejected findings), within the 30 days
   * kept.
   */
  async lastIngestAt(): Promise<string | null> {
    let latest: string | null = null;
    for await (const { value } of scanPrefix(keys.statsPrefix())) {
      const parsed = StatsRecordSchema.safeParse(value);
      if (!parsed.success || !INGEST_COUNTERS.some((name) => (parsed.data.counts[name] ?? 0) > 0)) continue;
      if (latest === null || Date.parse(parsed.data.at) > Date.parse(latest)) latest = parsed.data.at;
    }
    return latest;
  },
};
