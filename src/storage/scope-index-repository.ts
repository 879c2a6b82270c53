import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { FindingSchema } from '../domain/finding';
import type { ScopeIndexChange, ScopeIndexEntry, ScopeIndexStore } from '../usecases/scan-ports';
import { keys } from './keys';
import { batchDeleteKeys, batchSetValues } from './kvs-batch';
import { kvs, WhereConditions } from './kvs-client';
import { KVS_QUERY_PAGE_MAX } from './kvs-scan';

/**
 * The complete-scan index: `scope:<scopeId>:<findingKey>` for every open finding of a scope, written
 * by the sync consumer when it has processed a chunk (and removed when the finding is closed). Its
 * value is the finding's last version, gzip-compressed, so closing a finding needs no other read. A
 * complete scan pages it 20 keys at a time (Forge's query page): its cost is the scope's size, never
 * the installation's history.
 */
const StoredEntrySchema = z.object({
  findingKey: z.string(),
  source: z.string(),
  lane: z.string(),
  encoding: z.literal('gzip-base64'),
  finding: z.string(),
});

function decode(key: string, raw: unknown): ScopeIndexEntry {
  const stored = StoredEntrySchema.safeParse(raw);
  if (!stored.success) throw new Error(`Scope index entry ${key} is corrupt: ${stored.error.issues[0]?.message}`);
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(Buffer.from(stored.data.finding, 'base64')).toString('utf8'));
  } catch (error) {
    throw new Error(
      `Scope index entry ${key} cannot be decoded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const finding = FindingSchema.safeParse(json);
  if (!finding.success) throw new Error(`Scope index entry ${key} holds an invalid finding`);
  return {
    findingKey: stored.data.findingKey,
    source: stored.data.source,
    lane: stored.data.lane,
    finding: finding.data,
  };
}

export const scopeIndexRepository: ScopeIndexStore = {
  async apply(changes: ReadonlyArray<ScopeIndexChange>) {
    const writes = changes.flatMap((change) =>
      change.open
        ? [
            {
              key: keys.scopeIndex(change.scopeId, change.findingKey),
              value: {
                findingKey: change.entry.findingKey,
                source: change.entry.source,
                lane: change.entry.lane,
                encoding: 'gzip-base64',
                finding: gzipSync(JSON.stringify(change.entry.finding)).toString('base64'),
              },
            },
          ]
        : [],
    );
    const deletes = changes.flatMap((c) => (c.open ? [] : [keys.scopeIndex(c.scopeId, c.findingKey)]));
    if (writes.length > 0) await batchSetValues(writes);
    if (deletes.length > 0) await batchDeleteKeys(deletes);
  },
  async page(scopeId: string, cursor?: string) {
    let query = kvs
      .query()
      .where('key', WhereConditions.beginsWith(keys.scopeIndexPrefix(scopeId)))
      .limit(KVS_QUERY_PAGE_MAX);
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany();
    return {
      entries: page.results.map((result) => decode(result.key, result.value)),
      ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
    };
  },
};
