import { TransientError } from '../usecases/errors';
import { kvs } from './kvs-client';

/** Forge's batch limit: ≤ 25 keys per batchGet / batchSet / batchDelete request. */
export const KVS_BATCH_LIMIT = 25;

/**
 * Forge documents two KVS limits that disagree: the quota page counts 10 KB units (4,000 reads and 4,000 writes a
 * minute), the batch page also allows only 45 batch operations a minute. A batch of 25 small keys costs one unit, so
 * batches are the cheap way under the first reading — and under the second they run out first. A batch refused for
 * rate (429) is therefore done key by key (each key one unit), and for a short while after a refusal batches are not
 * tried: under the units reading nothing changes, under the batch reading the app keeps going on its unit quota. When
 * the units are spent too, the single requests are refused and the caller retries later, as before.
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

/** Writes many values (≤ 25 per request); any failed key throws, so nothing is silently lost. */
export async function batchSetValues(
  items: ReadonlyArray<{ key: string; value: unknown; ttlSeconds?: number }>,
): Promise<void> {
  const ttl = (item: { ttlSeconds?: number }) =>
    item.ttlSeconds ? { ttl: { value: item.ttlSeconds, unit: 'SECONDS' as const } } : undefined;
  for (const group of slices(items, KVS_BATCH_LIMIT)) {
    await batchOrOneByOne(
      async () => {
        const result = await kvs.batchSet(
          group.map((item) => ({
            key: item.key,
            value: item.value,
            ...(item.ttlSeconds ? { options: ttl(item) } : {}),
          })),
        );
        if (result.failedKeys.length > 0) {
          const { code, message } = result.failedKeys[0]!.error;
          throw new Error(`KVS batchSet failed for ${result.failedKeys.length} key(s): ${code} ${message}`);
        }
      },
      async () => {
        await Promise.all(group.map((item) => kvs.set(item.key, item.value, ttl(item))));
      },
    );
  }
}

export async function batchDeleteKeys(keys: ReadonlyArray<string>): Promise<void> {
  for (const group of slices([...new Set(keys)], KVS_BATCH_LIMIT)) {
    await batchOrOneByOne(
      async () => {
        await kvs.batchDelete(group.map((key) => ({ key })));
      },
      async () => {
        await Promise.all(group.map((key) => kvs.delete(key)));
      },
    );
  }
}
