import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { keys } from './keys';

/**
 * Health counters. Concurrent consumers must not lose increments, and KVS has no atomic add, so
 * each unit of work (an ingest request, a processed chunk) writes its own small record with a TTL,
 * and the totals are the sum over the records (paged query by prefix). One write per 50 findings.
 */
export const SYNC_COUNTERS = ['accepted', 'duplicates', 'rejected', 'created', 'updated', 'unchanged', 'transitioned', 'skipped', 'unrouted', 'failed', 'recovered'] as const;
export type SyncCounter = (typeof SYNC_COUNTERS)[number];
export type SyncCounts = Record<SyncCounter, number>;

const STATS_TTL_DAYS = 30;
const StatsRecordSchema = z.object({ at: z.string(), counts: z.record(z.string(), z.number()) });

export function emptyCounts(): SyncCounts {
  return Object.fromEntries(SYNC_COUNTERS.map((name) => [name, 0])) as SyncCounts;
}

export const syncStatsRepository = {
  async record(id: string, counts: Partial<SyncCounts>, at: Date): Promise<void> {
    const nonZero = Object.fromEntries(Object.entries(counts).filter(([, value]) => value !== undefined && value !== 0));
    if (Object.keys(nonZero).length === 0) return;
    await kvs.set(keys.stats(id), { at: at.toISOString(), counts: nonZero }, { ttl: { value: STATS_TTL_DAYS, unit: 'DAYS' } });
  },
  /** Totals over the last 30 days. */
  async totals(): Promise<SyncCounts> {
    const totals = emptyCounts();
    let cursor: string | undefined;
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith(keys.statsPrefix())).limit(100);
      if (cursor) query = query.cursor(cursor);
      const page = await query.getMany();
      for (const result of page.results) {
        const parsed = StatsRecordSchema.safeParse(result.value);
        if (!parsed.success) continue;
        for (const name of SYNC_COUNTERS) totals[name] += parsed.data.counts[name] ?? 0;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return totals;
  },
};
