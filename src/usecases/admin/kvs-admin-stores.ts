import { kvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { parseSyncConfig, type SyncConfig } from '../../domain/config';
import { isKeyConflict } from '../../storage/signing-secret-repository';
import { keys } from '../../storage/keys';
import type { SyncActivityReader, VersionedConfigStore } from './admin-ports';

/**
 * KVS adapters the admin page needs beyond the shared repositories in src/storage (they belong
 * there; kept here while src/storage is being written by others — see the report for the lead):
 * a configuration save with optimistic concurrency and the time of the last ingest.
 */

/** Same stored shape as src/storage/config-repository.ts (which ignores `savedBy`). */
const StoredConfigSchema = z.object({ revision: z.number().int().min(1), document: z.unknown(), savedAt: z.string(), savedBy: z.string().optional() });

/** A short-lived marker that one save owns the next revision; two saves from the same revision cannot both get it. */
const claimKey = (revision: number) => `${keys.syncConfig()}:claim:${revision}`;
const CLAIM_TTL_SECONDS = 120;

async function readStoredConfig() {
  const raw = await kvs.get(keys.syncConfig());
  if (raw === undefined) return undefined;
  const stored = StoredConfigSchema.safeParse(raw);
  if (!stored.success) throw new Error(`Stored sync configuration is corrupt: ${stored.error.issues[0]?.message}`);
  return stored.data;
}

export const kvsVersionedConfigStore: VersionedConfigStore = {
  async load() {
    const stored = await readStoredConfig();
    if (!stored) {
      const parsed = parseSyncConfig({});
      if (!parsed.ok) throw new Error('The default configuration does not parse');
      return { config: parsed.config, revision: 0, savedAt: null, savedBy: null };
    }
    const parsed = parseSyncConfig(stored.document);
    if (!parsed.ok) throw new Error(`Stored sync configuration is invalid: ${parsed.errors[0]?.path} ${parsed.errors[0]?.message}`);
    return { config: parsed.config, revision: stored.revision, savedAt: stored.savedAt, savedBy: stored.savedBy ?? null };
  },

  /**
   * Compare-and-set on the revision: (1) the stored revision must be `expected`; (2) claim
   * `expected + 1` with FAIL_IF_EXISTS (atomic in KVS: of two racing saves only one gets it);
   * (3) re-check the stored revision (a claim from long ago may have expired); (4) write.
   */
  async saveIfRevision(expected: number, config: SyncConfig, meta: { now: Date; accountId: string }) {
    const conflict = (stored: Awaited<ReturnType<typeof readStoredConfig>>) => ({
      ok: false as const,
      current: { revision: stored?.revision ?? 0, savedAt: stored?.savedAt ?? null, savedBy: stored?.savedBy ?? null },
    });
    const before = await readStoredConfig();
    if ((before?.revision ?? 0) !== expected) return conflict(before);
    const revision = expected + 1;
    try {
      await kvs.set(claimKey(revision), { by: meta.accountId, at: meta.now.toISOString() }, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: CLAIM_TTL_SECONDS, unit: 'SECONDS' } });
    } catch (error) {
      if (isKeyConflict(error)) return conflict(await readStoredConfig());
      throw error;
    }
    const again = await readStoredConfig();
    if ((again?.revision ?? 0) !== expected) return conflict(again);
    const savedAt = meta.now.toISOString();
    await kvs.set(keys.syncConfig(), { revision, document: config, savedAt, savedBy: meta.accountId });
    return { ok: true as const, revision, savedAt };
  },
};

const StatsRecordSchema = z.object({ at: z.string(), counts: z.record(z.string(), z.number()) });
const INGEST_COUNTERS = ['accepted', 'duplicates', 'rejected'];

/** The latest ingest among the stats records (src/storage/sync-stats-repository.ts keeps 30 days). */
export const kvsSyncActivityReader: SyncActivityReader = {
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
