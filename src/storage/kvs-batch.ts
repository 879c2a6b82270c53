import { kvs } from './kvs-client';

/** Forge's batch limit: ≤ 25 keys per batchGet / batchSet / batchDelete request. */
export const KVS_BATCH_LIMIT = 25;

function slices<T>(items: ReadonlyArray<T>, size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads many keys with as few requests as Forge allows; missing keys are absent from the map. */
export async function batchGetValues(keys: ReadonlyArray<string>): Promise<Map<string, unknown>> {
  const unique = [...new Set(keys)];
  const out = new Map<string, unknown>();
  for (const group of slices(unique, KVS_BATCH_LIMIT)) {
    const result = await kvs.batchGet(group.map((key) => ({ key })));
    for (const item of result.successfulKeys) out.set(item.key, item.value);
    const failed = result.failedKeys.filter((f) => f.error.code !== 'KEY_NOT_FOUND');
    if (failed.length > 0) throw new Error(`KVS batchGet failed for ${failed.length} key(s): ${failed[0]!.error.code}`);
  }
  return out;
}

/** Writes many values (≤ 25 per request); any failed key throws, so nothing is silently lost. */
export async function batchSetValues(
  items: ReadonlyArray<{ key: string; value: unknown; ttlSeconds?: number }>,
): Promise<void> {
  for (const group of slices(items, KVS_BATCH_LIMIT)) {
    const result = await kvs.batchSet(
      group.map((item) => ({
        key: item.key,
        value: item.value,
        ...(item.ttlSeconds ? { options: { ttl: { value: item.ttlSeconds, unit: 'SECONDS' as const } } } : {}),
      })),
    );
    if (result.failedKeys.length > 0) {
      const { code, message } = result.failedKeys[0]!.error;
      throw new Error(`KVS batchSet failed for ${result.failedKeys.length} key(s): ${code} ${message}`);
    }
  }
}

export async function batchDeleteKeys(keys: ReadonlyArray<string>): Promise<void> {
  for (const group of slices([...new Set(keys)], KVS_BATCH_LIMIT)) {
    await kvs.batchDelete(group.map((key) => ({ key })));
  }
}
