import { TransientError } from '../usecases/errors';
import { kvs } from './kvs-client';

/** Forge's batch limit: ≤ 25 keys per batchGet request. */
export const KVS_BATCH_LIMIT = 25;

/**
 * Forge documents two KVS limits that disagree: the quota page counts 10 KB units (4,000 reads and 4,000 writes a
 * minute), the batch page also allows only 45 batch operations a minute. A batchGet of 25 small keys costs one unit,
 * so batches are the cheap way to read under the first reading — and under the second they run out first. A batchGet
 * refused for rate (429) is therefore done key by key (each key one unit), and for a short while after a refusal
 * batches are not tried: under the units reading nothing changes, under the batch reading the app keeps going on its
 * unit quota. When the units are spent too, the single requests are refused and the caller retries later, as before.
 * Writes do not use batches at all (transactions, below).
 */
const BATCHES_REFUSED_PAUSE_MS = 10_000;
let batchesRefusedUntil = 0;

function isRateLimited(error: unknown): boolean {
  return error instanceof TransientError && error.reason === 'storage-rate-limited';
}

/** Runs `batch`, or `oneByOne` when batches are (or were just) refused for rate. */
async function batchOrOneByOne<T>(batch: () => Promise<T>, oneByOne: () => Promise<T>): Promise<T> {
  if (Date.now() < batchesRefusedUntil) return oneByOne();
  try {
    return await batch();
  } catch (error) {
    if (!isRateLimited(error)) throw error;
    batchesRefusedUntil = Date.now() + BATCHES_REFUSED_PAUSE_MS;
    return oneByOne();
  }
}

function slices<T>(items: ReadonlyArray<T>, size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type BatchKey = { key: string; entityName?: string };

/** `entityName|key` (an empty entity name for plain keys): the id under which `batchGetItems` answers. */
export const batchItemId = (item: BatchKey): string => `${item.entityName ?? ''}|${item.key}`;

async function getOne(item: BatchKey): Promise<unknown> {
  return item.entityName === undefined ? kvs.get(item.key) : kvs.entity(item.entityName).get(item.key);
}

/** Reads many keys (plain or of a custom entity) with as few requests as Forge allows, by `batchItemId`. */
export async function batchGetItems(items: ReadonlyArray<BatchKey>): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const group of slices(items, KVS_BATCH_LIMIT)) {
    await batchOrOneByOne(
      async () => {
        const result = await kvs.batchGet(group.map((item) => ({ ...item })));
        for (const item of result.successfulKeys) out.set(batchItemId(item), item.value);
        const failed = result.failedKeys.filter((f) => f.error.code !== 'KEY_NOT_FOUND');
        if (failed.length > 0)
          throw new Error(`KVS batchGet failed for ${failed.length} key(s): ${failed[0]!.error.code}`);
      },
      async () => {
        const values = await Promise.all(group.map(getOne));
        group.forEach((item, index) => {
          if (values[index] !== undefined) out.set(batchItemId(item), values[index]);
        });
      },
    );
  }
  return out;
}

/** Reads many keys with as few requests as Forge allows; missing keys are absent from the map. */
export async function batchGetValues(keys: ReadonlyArray<string>): Promise<Map<string, unknown>> {
  const unique = [...new Set(keys)];
  const byId = await batchGetItems(unique.map((key) => ({ key })));
  const out = new Map<string, unknown>();
  for (const key of unique) if (byId.has(`|${key}`)) out.set(key, byId.get(`|${key}`));
  return out;
}

/**
 * Multi-key writes go as transactions, not batchSet / batchDelete: "Transactions are treated as a single Write
 * operation" (Forge's transactions page), so one costs the same 10 KB units as a batch of the same keys but is not
 * one of the batch page's 45 batch operations a minute. A transaction holds ≤ 25 operations, each key once, ≤ 4 MB,
 * and is all or nothing: a group is written whole or not at all (a refusal for rate, 429, is a TransientError
 * `storage-rate-limited`; doing it key by key instead would spend the same write units, so there is no fallback).
 * Groups before a failed one stay written, as with batches; callers write in an order that tolerates that.
 */
export const KVS_TRANSACTION_LIMIT = 25;
/** Request body per transaction: under Forge's 4 MB whether it means 4,000,000 or 4 MiB, with room for the JSON. */
const TRANSACTION_PAYLOAD_BUDGET = 3_900_000;
/** The JSON around each operation in a transaction's body (`{"key":…,"value":…,"options":{"ttl":…}}`). */
const OPERATION_OVERHEAD_BYTES = 100;

type KeyedWrite = { key: string; bytes: number };

/** Groups of ≤ 25 operations and ≤ the payload budget, in order. */
function transactionGroups<T extends KeyedWrite>(items: ReadonlyArray<T>): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = item.bytes + Buffer.byteLength(item.key, 'utf8') + OPERATION_OVERHEAD_BYTES;
    if (group.length >= KVS_TRANSACTION_LIMIT || (group.length > 0 && bytes + size > TRANSACTION_PAYLOAD_BUDGET)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(item);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** The last write of each key, in the order of their first appearance (a transaction names each key once). */
function lastWritePerKey<T extends { key: string }>(items: ReadonlyArray<T>): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(item.key, item);
  return [...byKey.values()];
}

/** Writes many values as transactions of ≤ 25; all written, or a thrown error (nothing is silently lost). */
export async function batchSetValues(
  items: ReadonlyArray<{ key: string; value: unknown; ttlSeconds?: number }>,
): Promise<void> {
  const sized = lastWritePerKey(items).map((item) => ({
    ...item,
    bytes: Buffer.byteLength(JSON.stringify(item.value) ?? '', 'utf8'),
  }));
  for (const group of transactionGroups(sized)) {
    const transaction = kvs.transact();
    for (const item of group) {
      const options = item.ttlSeconds ? { ttl: { value: item.ttlSeconds, unit: 'SECONDS' as const } } : undefined;
      transaction.set(item.key, item.value, undefined, options);
    }
    await transaction.execute();
  }
}

/** Deletes many keys as transactions of ≤ 25 (a missing key is no error). */
export async function batchDeleteKeys(keys: ReadonlyArray<string>): Promise<void> {
  for (const group of transactionGroups([...new Set(keys)].map((key) => ({ key, bytes: 0 })))) {
    const transaction = kvs.transact();
    for (const { key } of group) transaction.delete(key);
    await transaction.execute();
  }
}
