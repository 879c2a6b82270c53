import { badRequest } from './kvs-error';
import { KVS_LIMITS } from './kvs-rules';
import type { QueryRequest } from './kvs-schemas';
import type { KvsStore } from './kvs-store';
import { renderItem, type ItemView } from './item-view';
import type { OperationResult } from './item-operations';
import { decodeCursor, encodeCursor } from './query-cursor';

/**
 * kvs.query(): plain keys only (never secrets or entities), in ascending key order, filtered by at
 * most one `where` clause `{ property: 'key', condition: 'BEGINS_WITH', values: [prefix] }`, pages of
 * `limit` (default 10, at most `maxLimit`: 20 by default, see KVS_LIMITS) with a `cursor` when more
 * remain. Answers `{ data, cursor? }`.
 */
export function queryKeys(
  store: KvsStore,
  request: QueryRequest,
  maxLimit: number = KVS_LIMITS.maxQueryLimit,
): OperationResult {
  const prefix = readPrefix(request);
  const limit = request.limit ?? KVS_LIMITS.defaultQueryLimit;
  if (limit < 1 || limit > maxLimit) {
    throw badRequest(
      'LIST_QUERY_LIMIT_EXCEEDED',
      `Limit for list query should be between 1 and ${maxLimit} (got ${limit}).`,
    );
  }
  let after: string | undefined;
  if (request.after !== undefined) {
    after = decodeCursor(request.after);
    if (after === undefined) throw badRequest('INVALID_CURSOR', 'The cursor is not one returned by a previous query.');
  }

  const data: ItemView[] = [];
  let more = false;
  const keys = store.keys.listKeys();
  // Keys sharing a prefix are contiguous in sorted order: start at the first candidate, stop at the first miss.
  let index = findFirstIndex(keys, (key) => key >= prefix && (after === undefined || key > after));
  for (; index < keys.length; index += 1) {
    const key = keys[index] as string;
    if (!key.startsWith(prefix)) break;
    const item = store.keys.read(key);
    if (item === undefined) continue;
    if (data.length === limit) {
      more = true;
      break;
    }
    data.push(renderItem(key, item, request.options?.metadataFields));
  }
  const last = data[data.length - 1];
  return { status: 200, body: more && last !== undefined ? { data, cursor: encodeCursor(last.key) } : { data } };
}

function readPrefix(request: QueryRequest): string {
  const where = request.where ?? [];
  if (where.length === 0) return '';
  if (where.length > 1)
    throw badRequest('QUERY_WHERE_INVALID', 'KVS queries should contain only a single "where" clause.');
  const clause = where[0] as NonNullable<QueryRequest['where']>[number];
  if (clause.property !== 'key') {
    throw badRequest(
      'QUERY_WHERE_FIELD_INVALID',
      `The field "${clause.property}" is not supported for filters; only "key" is.`,
    );
  }
  if (clause.condition !== 'BEGINS_WITH') {
    throw badRequest(
      'INVALID_FILTER_CONDITION',
      `The condition "${clause.condition}" is not supported for KVS queries; only BEGINS_WITH is.`,
    );
  }
  const [value] = clause.values;
  if (clause.values.length !== 1 || (typeof value !== 'string' && typeof value !== 'number')) {
    throw badRequest('INVALID_FILTER_VALUES', 'BEGINS_WITH takes exactly one string or number value.');
  }
  return String(value);
}

/** First index whose key satisfies `isAtOrAfterStart` (monotone over sorted keys), by binary search. */
function findFirstIndex(keys: readonly string[], isAtOrAfterStart: (key: string) => boolean): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isAtOrAfterStart(keys[middle] as string)) high = middle;
    else low = middle + 1;
  }
  return low;
}
