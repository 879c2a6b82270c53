import { kvs, WhereConditions } from './kvs-client';

/**
 * Every value under a key prefix, page by page (≤ 100 keys per KVS query). For admin reads and sweeps, not hot paths.
 */
export async function* scanPrefix(prefix: string): AsyncGenerator<{ key: string; value: unknown }> {
  let cursor: string | undefined;
  do {
    let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(100);
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany();
    for (const result of page.results) yield { key: result.key, value: result.value };
    cursor = page.nextCursor;
  } while (cursor);
}
