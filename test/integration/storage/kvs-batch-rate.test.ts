import { batchDeleteKeys, batchGetItems, batchGetValues, batchSetValues } from '../../../src/storage/kvs-batch';
import { kvs } from '../../../src/storage/kvs-client';
import { TransientError } from '../../../src/usecases/errors';
import { sandboxClock } from '../../../sandbox/runtime/clock';
import { createProbeSandbox } from '../sandbox/probe-sandbox';

/**
 * Forge's batch page allows 45 batch operations a minute; its quota page counts only 10 KB units. Under the batch
 * reading (the sandbox's default) the app's batched reads go on key by key once the batches are refused, and stop
 * (transiently) only when the units are spent too. Its multi-key writes are transactions ("treated as a single Write
 * operation"): never batch operations, refused only when the write units are spent.
 */
describe('KVS batches under the 45-a-minute reading', () => {
  const keysOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  it('after 45 batch operations, reads go key by key; writes and deletes are transactions', async () => {
    const sandbox = createProbeSandbox({ kvsQuotas: { enforce: true } });
    // Run past any refusal another test in this process left remembered.
    sandboxClock.advance(60_000);
    await sandbox.runAsApp(async () => {
      for (let i = 0; i < 45; i++) await batchGetValues([`warm-${i}`]);
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
    await sandbox.runAsApp(() => batchDeleteKeys([...written.slice(0, 10), 'never-written']));
    const after = await sandbox.runAsApp(() => batchGetValues(written));
    expect(after.size).toBe(20);

    // No batch was served past the 45: reads went key by key, writes as 2 + 1 transactions.
    expect(sandbox.kvs.counters.batchOps).toBe(0);
    expect(sandbox.kvs.counters.byPath['/api/v1/transaction']).toBe(3);
    expect(sandbox.kvs.counters.writes).toBe(3);
    expect(sandbox.kvs.quotaUsage().batchOperations).toBe(45);
    // The TTL went with each set.
    sandboxClock.advance(601_000);
    expect((await sandbox.runAsApp(() => batchGetValues(written))).size).toBe(0);
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
    await sandbox.runAsApp(() => batchSetValues(keysOf('u', 25).map((key, i) => ({ key, value: i }))));
    sandbox.kvs.counters.reset();
    await sandbox.runAsApp(async () => {
      for (let i = 0; i < 60; i++) expect((await batchGetValues(keysOf('u', 25))).get(`u-${i % 25}`)).toBe(i % 25);
    });
    expect(sandbox.kvs.counters.batchOps).toBe(60);
    expect(await sandbox.runAsApp(() => kvs.get('u-24'))).toBe(24);
  });
});

describe('multi-key writes as transactions', () => {
  const writesOf = (prefix: string, n: number, value: (i: number) => unknown) =>
    Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i}`, value: value(i) }));

  it('groups 60 keys into transactions of 25, 25 and 10, each one write unit, none a batch operation', async () => {
    const sandbox = createProbeSandbox({ kvsQuotas: { enforce: true } });
    sandboxClock.advance(60_000);
    sandbox.kvs.counters.reset();
    await sandbox.runAsApp(() => batchSetValues(writesOf('g', 60, (i) => ({ i }))));
    expect(sandbox.kvs.counters).toMatchObject({ writes: 3, writeUnits: 3, batchOps: 0 });
    expect(Object.keys(sandbox.kvs.snapshot().keys).filter((key) => key.startsWith('g-'))).toHaveLength(60);
  });

  it('splits by payload too: twenty 230 KB values go in transactions under 4 MB', async () => {
    const sandbox = createProbeSandbox();
    sandbox.kvs.counters.reset();
    await sandbox.runAsApp(() => batchSetValues(writesOf('big', 20, (i) => `${i}`.padEnd(230 * 1024, 'x'))));
    // 16 values fit in 3.9 MB, the other 4 in a second transaction.
    expect(sandbox.kvs.counters.byPath['/api/v1/transaction']).toBe(2);
    expect(Object.keys(sandbox.kvs.snapshot().keys).filter((key) => key.startsWith('big-'))).toHaveLength(20);
  });

  it('writes the last value of a key named twice (a transaction names each key once)', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(() =>
      batchSetValues([
        { key: 'twice', value: 1 },
        { key: 'once', value: 'a' },
        { key: 'twice', value: 2 },
      ]),
    );
    expect(sandbox.kvs.snapshot().keys).toMatchObject({ twice: { value: 2 }, once: { value: 'a' } });
  });

  it('a group refused for rate is a TransientError and writes none of its keys', async () => {
    const sandbox = createProbeSandbox({ kvsQuotas: { enforce: true, writesPerMinute: 3 } });
    sandboxClock.advance(60_000);
    await sandbox.runAsApp(() => kvs.set('spent-1', 1));
    await sandbox.runAsApp(() => kvs.set('spent-2', 2));
    // 2 of 3 units used; the first transaction (25 keys, 1 unit) fits, the second does not.
    const error = await sandbox.runAsApp(() => batchSetValues(writesOf('rl', 30, (i) => i))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ reason: 'storage-rate-limited' });
    const stored = Object.keys(sandbox.kvs.snapshot().keys).filter((key) => key.startsWith('rl-'));
    expect(stored).toHaveLength(25);
    expect(stored).not.toContain('rl-25');
    const deleteError = await sandbox.runAsApp(() => batchDeleteKeys(['rl-0', 'rl-1'])).catch((e: unknown) => e);
    expect(deleteError).toMatchObject({ reason: 'storage-rate-limited' });
    expect(sandbox.kvs.snapshot().keys).toHaveProperty('rl-0');
  });

  it('one invalid value fails its whole group: nothing of it is written', async () => {
    const sandbox = createProbeSandbox();
    const items = writesOf('inv', 10, (i) => (i === 7 ? 'x'.repeat(241 * 1024) : i));
    const error = await sandbox.runAsApp(() => batchSetValues(items)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MAX_SIZE' });
    expect(Object.keys(sandbox.kvs.snapshot().keys).filter((key) => key.startsWith('inv-'))).toEqual([]);
  });
});
