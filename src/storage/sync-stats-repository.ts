import { z } from 'zod';
import { countChunkOutcomes, mergeChunkOutcomes } from '../domain/chunk-outcomes';
import {
  addCounts,
  foldHours,
  hourOf,
  laterOf,
  openHours,
  planFold,
  ROLLUP_SHARDS,
  shardFor,
  subtractCounts,
  summarize,
  type Counts,
  type HourShard,
  type RollupWindow,
} from '../domain/stats-rollup';
import { isStyleToken, styleLevels, type StyleToken } from '../domain/issue-style';
import { ConflictError, TransientError } from '../usecases/errors';
import { keys } from './keys';
import { Filter, FilterConditions, kvs } from './kvs-client';
import { batchGetItems } from './kvs-batch';

/**
 * Health counters as roll-ups (see `domain/stats-rollup.ts`): hour buckets in `ROLLUP_SHARDS`
 * shards (custom entity `stats-hour`, key `rollup:h:<hour>:<shard>`), folded by the hourly check
 * into one window of daily totals (entity `stats-window`, key `rollup:window`). KVS has no atomic
 * add, so every update is a compare-and-set: a transaction whose condition is the version read
 * (`version = n`, or no version for a new bucket); a writer that lost re-reads and tries again.
 *
 * A sync chunk also keeps its own record (`stats:sync:<chunk>`, per-finding outcomes merged over
 * its attempts) and adds only what a new attempt changed, in the same transaction as the bucket,
 * so a retried or redelivered chunk never counts a finding twice and a crash never half-counts.
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

export const HOUR_ENTITY = 'stats-hour';
export const WINDOW_ENTITY = 'stats-window';
const HOUR_TTL_DAYS = 35;
const CHUNK_RECORD_TTL_DAYS = 3;
const MAX_CAS_ATTEMPTS = 12;
const INGEST_COUNTERS: readonly SyncCounter[] = ['accepted', 'duplicates', 'rejected'];

const CountsSchema = z.record(z.string(), z.number());
const HourShardSchema = z.object({
  version: z.number().int(),
  hour: z.string(),
  counts: CountsSchema,
  lastIngestAt: z.string().nullable().default(null),
});
/** Attributes are left out rather than stored as null (a typed entity attribute holds a string or nothing). */
function withoutNulls<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as T;
}
const WindowSchema = z.object({
  version: z.number().int(),
  foldedThrough: z.string().nullable().default(null),
  days: z.record(z.string(), CountsSchema),
  lastIngestAt: z.string().nullable().default(null),
  levels: CountsSchema.optional(),
});
const OutcomeSchema = z.union([z.enum(SYNC_COUNTERS), z.string().refine(isStyleToken)]);
const ChunkRecordSchema = z.object({ findings: z.record(z.string(), z.array(OutcomeSchema)) });

type StoredShard = z.output<typeof HourShardSchema>;
type StoredWindow = z.output<typeof WindowSchema>;
const EMPTY_WINDOW: RollupWindow = { foldedThrough: null, days: {}, lastIngestAt: null };

export function emptyCounts(): SyncCounts {
  return Object.fromEntries(SYNC_COUNTERS.map((name) => [name, 0])) as SyncCounts;
}

function toSyncCounts(counts: Counts): SyncCounts {
  const out = emptyCounts();
  for (const name of SYNC_COUNTERS) out[name] = counts[name] ?? 0;
  return out;
}

function versionIs(version: number | undefined) {
  return version === undefined
    ? new Filter<{ version: number }>().and('version', FilterConditions.notExists())
    : new Filter<{ version: number }>().and('version', FilterConditions.equalTo(version));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Adds `delta` to one hour shard with a compare-and-set, retried on conflict (jittered); `alsoSet`
 * is written in the same transaction. Throws a TransientError when it keeps losing (the caller's
 * work is retried, and the chunk record makes that retry count nothing twice).
 */
async function addToHourShard(
  shardKey: { hour: string; shard: number },
  delta: Counts,
  ingestAt: string | null,
  alsoSet?: { key: string; value: unknown; ttlDays: number },
): Promise<void> {
  const key = keys.rollupHour(shardKey.hour, shardKey.shard);
  for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
    const parsed = HourShardSchema.safeParse(await kvs.entity<StoredShard>(HOUR_ENTITY).get(key));
    const current = parsed.success ? parsed.data : undefined;
    const next: StoredShard = {
      version: (current?.version ?? 0) + 1,
      hour: shardKey.hour,
      counts: addCounts(current?.counts ?? {}, delta),
      lastIngestAt: laterOf(current?.lastIngestAt ?? null, ingestAt),
    };
    let transaction = kvs.transact().set(
      key,
      withoutNulls(next),
      { entityName: HOUR_ENTITY, conditions: versionIs(current?.version) },
      {
        ttl: { value: HOUR_TTL_DAYS, unit: 'DAYS' },
      },
    );
    if (alsoSet)
      transaction = transaction.set(alsoSet.key, alsoSet.value, undefined, {
        ttl: { value: alsoSet.ttlDays, unit: 'DAYS' },
      });
    try {
      await transaction.execute();
      return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await sleep(Math.random() * 10 * attempt);
    }
  }
  throw new TransientError(`Health counters of ${shardKey.hour} are busy`, 5_000, 'lane-busy');
}

async function readValues<T>(items: Array<{ key: string; entityName?: string }>): Promise<Map<string, T>> {
  return (await batchGetItems(items)) as Map<string, T>;
}

function shardItems(hours: string[]) {
  return hours.flatMap((hour) =>
    Array.from({ length: ROLLUP_SHARDS }, (_, shard) => ({
      key: keys.rollupHour(hour, shard),
      entityName: HOUR_ENTITY,
    })),
  );
}

function parseShards(values: Map<string, unknown>): HourShard[] {
  const out: HourShard[] = [];
  for (const [id, value] of values) {
    if (!id.startsWith(`${HOUR_ENTITY}|`)) continue;
    const parsed = HourShardSchema.safeParse(value);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

function parseWindow(value: unknown): StoredWindow | undefined {
  const parsed = WindowSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** `styles`: findings per issue style key (`<grouping>:<mapping id>`, domain/issue-style.ts), for good. */
export type StatsView = {
  counts: SyncCounts;
  lastIngestAt: string | null;
  incomplete: boolean;
  styles: Record<string, number>;
};

export const syncStatsRepository = {
  /** Counts of one unit of work that happens once (an ingest request): added to the current hour. */
  async record(id: string, counts: Partial<SyncCounts>, at: Date): Promise<void> {
    const delta = subtractCounts(counts, {});
    if (Object.keys(delta).length === 0) return;
    const ingestAt = INGEST_COUNTERS.some((name) => (delta[name] ?? 0) > 0) ? at.toISOString() : null;
    await addToHourShard({ hour: hourOf(at), shard: shardFor(id) }, delta, ingestAt);
  },
  /**
   * One attempt at a sync chunk: merged into the chunk's record, and only the difference to what
   * earlier attempts counted is added to the hour, in one transaction with the record. Only the
   * holder of the chunk's lane lease calls this, so the record itself does not race.
   */
  async recordChunk(
    chunkKey: string,
    outcomes: Record<string, Array<SyncCounter | StyleToken>>,
    at: Date,
  ): Promise<void> {
    if (Object.keys(outcomes).length === 0) return;
    const recordKey = keys.stats(`sync:${chunkKey}`);
    const stored = ChunkRecordSchema.safeParse(await kvs.get(recordKey));
    const previous = stored.success ? stored.data.findings : undefined;
    const findings = mergeChunkOutcomes(previous, outcomes);
    const delta = subtractCounts(countChunkOutcomes(findings) as Counts, countChunkOutcomes(previous ?? {}) as Counts);
    const record = { key: recordKey, value: { at: at.toISOString(), findings }, ttlDays: CHUNK_RECORD_TTL_DAYS };
    if (Object.keys(delta).length === 0) {
      await kvs.set(recordKey, record.value, { ttl: { value: CHUNK_RECORD_TTL_DAYS, unit: 'DAYS' } });
      return;
    }
    await addToHourShard({ hour: hourOf(at), shard: shardFor(chunkKey) }, delta, null, record);
  },
  /** 30-day totals and the last ingest: the window and the open hours' shards, in one batched read. */
  async view(now: Date): Promise<StatsView> {
    return (await this.viewWith(now, [])).view;
  },
  /**
   * `view`, with other small records (plain keys, at most 5) read in the same batch request: the Health
   * page's one read. `values` holds those that exist, by key.
   */
  async viewWith(
    now: Date,
    alsoRead: ReadonlyArray<string>,
  ): Promise<{ view: StatsView; values: Map<string, unknown> }> {
    const windowKey = { key: keys.rollupWindow(), entityName: WINDOW_ENTITY };
    // The window says which hours are open; guessing the usual case (last fold within the hour) saves a round trip.
    const guess = openHours({ ...EMPTY_WINDOW, foldedThrough: hourOf(new Date(now.getTime() - 3 * 3_600_000)) }, now);
    const first = await readValues<unknown>([
      windowKey,
      ...shardItems(guess.hours),
      ...alsoRead.map((key) => ({ key })),
    ]);
    const window = parseWindow(first.get(`${WINDOW_ENTITY}|${windowKey.key}`)) ?? { version: 0, ...EMPTY_WINDOW };
    const open = openHours(window, now);
    const missing = open.hours.filter((hour) => !guess.hours.includes(hour));
    const values =
      missing.length > 0 ? new Map([...first, ...(await readValues<unknown>(shardItems(missing)))]) : first;
    const shards = parseShards(values).filter((shard) => open.hours.includes(shard.hour));
    const summary = summarize(window, shards, now);
    const also = new Map<string, unknown>();
    for (const key of alsoRead) if (first.has(`|${key}`)) also.set(key, first.get(`|${key}`));
    return {
      view: {
        counts: toSyncCounts(summary.counts),
        lastIngestAt: summary.lastIngestAt,
        incomplete: open.incomplete,
        styles: styleLevels(summary.levels),
      },
      values: also,
    };
  },
  async totals(now: Date = new Date()): Promise<SyncCounts> {
    return (await this.view(now)).counts;
  },
  async lastIngestAt(now: Date = new Date()): Promise<string | null> {
    return (await this.view(now)).lastIngestAt;
  },
  /**
   * The hourly check's fold: closed hours since the last fold into the window (compare-and-set on
   * its version, so two checks running at once fold each hour once). Cost: one read per 6 hours
   * elapsed since the last fold, plus one write — never the history.
   */
  async fold(now: Date): Promise<{ foldedHours: number; foldedThrough: string | null }> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const windowKey = keys.rollupWindow();
      const stored = parseWindow(await kvs.entity(WINDOW_ENTITY).get(windowKey));
      const window: RollupWindow = stored ?? EMPTY_WINDOW;
      const hours = planFold(window, now);
      if (hours.length === 0) return { foldedHours: 0, foldedThrough: window.foldedThrough };
      const shards = parseShards(await readValues<unknown>(shardItems(hours)));
      const next = foldHours(window, hours, shards, now);
      try {
        await kvs
          .transact()
          .set(windowKey, withoutNulls({ version: (stored?.version ?? 0) + 1, ...next }), {
            entityName: WINDOW_ENTITY,
            conditions: versionIs(stored?.version),
          })
          .execute();
        return { foldedHours: hours.length, foldedThrough: next.foldedThrough };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return { foldedHours: 0, foldedThrough: null };
  },
};
