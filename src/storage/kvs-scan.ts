import { kvs, WhereConditions } from './kvs-client';

/**
 * Forge's largest KVS query page. "Querying key-value pairs" (storage-api-query) says "up to a maximum
 * of 20"; an older errors page says 100. A larger `limit` is refused with 400 LIST_QUERY_LIMIT_EXCEEDED,
 * so every query here asks for at most 20 and follows the cursor.
 */
export const KVS_QUERY_PAGE_MAX = 20;

/**
 * Every value under a key prefix, page by page (≤ 20 keys per KVS query). For admin reads and sweeps, not hot
 * paths.
 */
export async function* scanPrefix(prefix: string): AsyncGenerator<{ key: string; value: unknown }> {
  let cursor: string | undefined;
  do {
    let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(KVS_QUERY_PAGE_MAX);
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany();
    for (const result of page.results) yield { key: result.key, value: result.value };
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * Up to `limit` (1..100) values under a prefix from `cursor` on, read in KVS pages of ≤ 20; the cursor
 * returned continues exactly after the last value returned (absent when nothing remains).
 */
export async function queryPrefixPage(
  prefix: string,
  options: { limit?: number; cursor?: string } = {},
): Promise<{ results: { key: string; value: unknown }[]; nextCursor?: string }> {
  const wanted = Math.min(Math.max(options.limit ?? 50, 1), 100);
  const results: { key: string; value: unknown }[] = [];
  let cursor = options.cursor;
  while (results.length < wanted) {
    let query = kvs
      .query()
      .where('key', WhereConditions.beginsWith(prefix))
      .limit(Math.min(KVS_QUERY_PAGE_MAX, wanted - results.length));
    if (cursor) query = query.cursor(cursor);
    const page = await query.getMany();
    for (const result of page.results) results.push({ key: result.key, value: result.value });
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { results, ...(cursor ? { nextCursor: cursor } : {}) };
}
