import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import type { SyncActivityReader } from '../usecases/admin/admin-ports';
import { keys } from './keys';

const StatsRecordSchema = z.object({ at: z.string(), counts: z.record(z.string(), z.number()) });
const INGEST_COUNTERS = ['accepted', 'duplicates', 'rejected'];

/** The latest ingest among the stats records (src/storage/sync-stats-repository.ts keeps 30 days). */
export const syncActivityReader: SyncActivityReader = {
  async lastIngestAt() {
    let latest: string | null = null;
    let cursor: string | undefined;
    do {
      let query = kvs.query().where('key', WhereConditions.beginsWith(keys.statsPrefix())).limit(100);
      if (cursor) query = query.cursor(cursor);
      const page = await query.getMany();
      for (const result of page.results) {
        const parsed = StatsRecordSchema.safeParse(result.value);
        if (!parsed.success || !INGEST_COUNTERS.some((name) => (parsed.data.counts[name] ?? 0) > 0)) continue;
        if (latest === null || Date.parse(parsed.data.at) > Date.parse(latest)) latest = parsed.data.at;
      }
      cursor = page.nextCursor;
    } while (cursor);
    return latest;
  },
};
