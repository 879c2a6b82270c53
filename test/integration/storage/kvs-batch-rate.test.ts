import { batchDeleteKeys, batchGetItems, batchGetValues, batchSetValues } from '../../../src/storage/kvs-batch';
import { kvs } from '../../../src/storage/kvs-client';
import { TransientError } from '../../../src/usecases/errors';
import { sandboxClock } from '../../../sandbox/runtime/clock';
import { createProbeSandbox } from '../sandbox/probe-sandbox';

/**
 * Forge's batch page allows 45 batch operations a minute; its quota page counts only 10 KB units. Under the batch
 * reading (the sandbox's default) the app's batched reads and writes go on key by key once the batches are refused,
 * and stop (transiently) only when the units are spent too.
 */
describe('KVS batches under the 45-a-minute reading', () => {
  const keysOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  it('after 45 batch operations, batched reads, writes and deletes still complete one key at a time', async () => {
    const sandbox = createProbeSandbox({ kvsQuotas: { enforce: true } });
    // Run past any refusal another test in this process left remembered.
    sandboxClock.advance(60_000);
    await sandbox.runAsApp(async () => {
      for (let i = 0; i < 45; i++) await batchSetValues([{ key: `warm-${i}`, value: i }]);
    });
    expect(sandbox.kvs.quotaUsage().batchOperations).toBe(45);
    sandbox.kvs.counters.reset();

    const written = keysOf('k', 30);
    await sandbox.runAsApp(() => batchSetValues(written.map((key, i) => ({ key, value: { i }, ttlSeconds: 600 }))));
    const read = await sandbox.runAsApp(() => batchGetValues([...written, 'absent']));
    expect(read.size).toBe(30);
    expect(read.get('k-7')).toEqual({ i: 7 });
    expect(read.has('absent')).toBe(false);
    const entityless = await sandbox.runAsApp(() => batchGetItems([{ key: 'k-1' }, { key: 'k-2' }]));
    expect([...entityless.keys()]).toEqual(['|k-1', '|k-2']);
    await sandbox.runAsApp(() => batchDeleteKeys(written.slice(0, 10)));
    const after = await sandbox.runAsApp(() => batchGetValues(written));
    expect(after.size).toBe(20);

    // No batch was served past the 45: everything went key by key, each key a request.
    expect(sandbox.kvs.counters.batchOps).toBe(0);
    expect(sandbox.kvs.counters.writes).toBe(30 + 10);
    expect(sandbox.kvs.quotaUsage().batchOperations).toBe(45);
  });

  it('when the 10 KB units are spent as well, the batched call fails transiently', async () => {
    const sandbox = createProbeSandbox({ kvsQuotas: { enforce: true, readsPerMinute: 60 } });
    sandboxClock.advance(60_000);
    await sandbox.runAsApp(() => batchSetValues(keysOf('r', 25).map((key) => ({ key, value: key }))));
    await sandbox.runAsApp(async () => {
      for (let i = 0; i < 45; i++) await batchGetValues(['r-0']);
    });
    // 45 read units and 45 batch operations used: 25 more keys one by one would need 25 units, 15 are left.
    const error = await sandbox.runAsApp(() => batchGetValues(keysOf('r', 25))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ reason: 'storage-rate-limited' });
    // A minute later both have room again, and a batch is tried first once the short pause after a refusal is over.
    sandboxClock.advance(61_000);
    sandbox.kvs.counters.reset();
    const values = await sandbox.runAsApp(() => batchGetValues(keysOf('r', 25)));
    expect(values.size).toBe(25);
    expect(sandbox.kvs.counters.batchOps).toBe(1);
  });

  it('under the units-only reading batches are never refused for their number', async () => {
    const sandbox = createProbeSandbox({ kvsQuotas: { enforce: true, batchOperationsPerMinute: Infinity } });
    sandboxClock.advance(60_000);
    sandbox.kvs.counters.reset();
    await sandbox.runAsApp(async () => {
      for (let i = 0; i < 60; i++) await batchSetValues([{ key: `u-${i}`, value: i }]);
      expect((await batchGetValues(keysOf('u', 25))).size).toBe(25);
    });
    expect(sandbox.kvs.counters.batchOps).toBe(61);
    expect(await sandbox.runAsApp(() => kvs.get('u-59'))).toBe(59);
  });
});
