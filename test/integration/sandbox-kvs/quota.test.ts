import { ForgeKvsAPIError } from '@forge/kvs';
import { createKvsService } from '../../../sandbox/kvs';
import { createClock, createSandboxKvs, parseBody } from './kvs-package-client';

const setBody = (key: string, value: unknown = 1) => JSON.stringify({ key, value });

describe('sandbox KVS quotas (Forge: 4,000 reads and 4,000 writes per minute, 10 KB units)', () => {
  it('counts a request of up to 10 KB as 1 unit and 61 KB as 7 (writes by request, reads by response)', async () => {
    const { kvs, service } = createSandboxKvs();
    await kvs.set('small', 'x');
    expect(service.counters).toMatchObject({ writes: 1, writeUnits: 1 });
    await kvs.set('large', 'x'.repeat(60 * 1024)); // ~61 KB of JSON → rounded up to 70 KB → 7 units
    expect(service.counters).toMatchObject({ writes: 2, writeUnits: 8 });
    await kvs.get('large');
    await kvs.get('small');
    await kvs.get('missing');
    expect(service.counters).toMatchObject({ reads: 3, readUnits: 7 + 1 + 1 });
    expect(service.counters.byPath).toEqual({ '/api/v1/set': 2, '/api/v1/get': 3 });
    expect(service.quotaUsage()).toEqual({ readUnits: 9, writeUnits: 8, batchOperations: 0 });
  });

  it('counts a transaction or a batch as one write sized by its payload', async () => {
    const { kvs, service } = createSandboxKvs();
    await kvs.transact().set('t:1', 1).set('t:2', 2).delete('t:3').execute();
    await kvs.batchSet([
      { key: 'b:1', value: 1 },
      { key: 'b:2', value: 2 },
    ]);
    expect(service.counters).toMatchObject({ writes: 2, writeUnits: 2 });
  });

  it('only counts when enforcement is off (the default): the 4,001st write in a minute succeeds', () => {
    const service = createKvsService({ now: createClock().now });
    for (let index = 0; index < 4001; index += 1) {
      expect(service.handle('/api/v1/set', setBody(`key:${index}`)).status).toBe(204);
    }
    expect(service.counters).toMatchObject({ writes: 4001, writeUnits: 4001 });
  });

  it('enforcing, refuses the 4,001st write unit of a minute: 429 RATE_LIMIT_EXCEEDED and a Retry-After', () => {
    const clock = createClock();
    const service = createKvsService({ now: clock.now });
    service.setQuotaEnforcement(true);
    for (let index = 0; index < 4000; index += 1) {
      expect(service.handle('/api/v1/set', setBody(`key:${index}`)).status).toBe(204);
    }
    clock.advance(30_000);
    const refused = service.handle('/api/v1/set', setBody('key:over'));
    expect(refused.status).toBe(429);
    expect(parseBody(refused)).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', message: expect.stringContaining('4000') });
    expect(refused.headers?.['retry-after']).toBe('30');
    expect(service.snapshot().keys['key:over']).toBeUndefined();
    expect(service.counters.writes).toBe(4000);

    // Reads have their own budget.
    expect(service.handle('/api/v1/get', JSON.stringify({ key: 'key:1' })).status).toBe(200);

    clock.advance(30_000);
    expect(service.handle('/api/v1/set', setBody('key:later')).status).toBe(204);
  });

  it('refuses a read whose response would cross the limit; the real package raises RATE_LIMIT_EXCEEDED', async () => {
    const clock = createClock();
    const { kvs } = createSandboxKvs({
      now: clock.now,
      quotas: { readsPerMinute: 10, writesPerMinute: 100, enforce: true },
    });
    await kvs.set('large', 'x'.repeat(60 * 1024)); // 7 units to read
    await expect(kvs.get('large')).resolves.toHaveLength(60 * 1024);
    await expect(kvs.get('large')).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      responseDetails: { status: 429 },
    });
    await expect(kvs.get('small-missing')).resolves.toBeUndefined(); // 1 unit still fits: 7 + 1 ≤ 10
    clock.advance(60_000);
    await expect(kvs.get('large')).resolves.toHaveLength(60 * 1024);
  });

  it('can switch enforcement off again, and reset its counters', async () => {
    const { kvs, service } = createSandboxKvs({ quotas: { readsPerMinute: 1, writesPerMinute: 1, enforce: true } });
    await kvs.set('one', 1);
    await expect(kvs.set('two', 2)).rejects.toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
    service.setQuotaEnforcement(false);
    await expect(kvs.set('two', 2)).resolves.toBeUndefined();
    service.counters.reset();
    expect(service.counters).toMatchObject({ reads: 0, writes: 0, readUnits: 0, writeUnits: 0, byPath: {} });
  });

  it('allows 45 batch operations a minute (batchops page), refuses the 46th with 429 RATE_LIMIT_EXCEEDED', async () => {
    const clock = createClock();
    const { kvs, service } = createSandboxKvs({ now: clock.now, quotas: { enforce: true } });
    for (let index = 0; index < 45; index += 1) {
      // Mixed kinds count together: it is a rate of batch requests, not of keys or units.
      if (index % 3 === 0) await kvs.batchSet([{ key: `b:${index}`, value: index }]);
      else if (index % 3 === 1) await kvs.batchGet([{ key: `b:${index - 1}` }]);
      else await kvs.batchDelete([{ key: `nothing:${index}` }]);
    }
    expect(service.quotaUsage().batchOperations).toBe(45);
    const refused = await kvs.batchGet([{ key: 'b:0' }]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ForgeKvsAPIError);
    expect(refused).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', responseDetails: { status: 429 } });
    // A plain get is not a batch operation: still served.
    await expect(kvs.get('b:0')).resolves.toBe(0);
    const retryAfter = Number(
      service.handle('/api/v1/batch/get', JSON.stringify([{ key: 'b:0' }])).headers?.['retry-after'],
    );
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    clock.advance(60_000);
    await expect(kvs.batchGet([{ key: 'b:0' }])).resolves.toMatchObject({ successfulKeys: [{ key: 'b:0' }] });
  });

  describe('transactions ("treated as a single Write operation", transactions page, Mar 3, 2025)', () => {
    it('cost one write sized by their payload, however many operations they hold', async () => {
      const { kvs, service } = createSandboxKvs();
      const transaction = kvs.transact();
      // 24 values of 3 KB and a delete: ~74 KB of request body → 8 units, one request.
      for (let index = 0; index < 24; index += 1) transaction.set(`t:${index}`, 'x'.repeat(3 * 1024));
      await transaction.delete('t:gone').execute();
      expect(service.counters).toMatchObject({ writes: 1, writeUnits: 8, batchOps: 0 });
      expect(service.quotaUsage()).toEqual({ readUnits: 0, writeUnits: 8, batchOperations: 0 });
    });

    it('are not batch operations: served after the 45 batch operations of the minute are spent', async () => {
      const { kvs, service } = createSandboxKvs({ quotas: { enforce: true } });
      for (let index = 0; index < 45; index += 1) await kvs.batchSet([{ key: `b:${index}`, value: index }]);
      await expect(kvs.batchSet([{ key: 'b:over', value: 1 }])).rejects.toMatchObject({
        code: 'RATE_LIMIT_EXCEEDED',
      });
      for (let index = 0; index < 100; index += 1) {
        await kvs
          .transact()
          .set(`t:${index}`, index)
          .delete(`b:${index % 45}`)
          .execute();
      }
      expect(service.quotaUsage()).toMatchObject({ writeUnits: 145, batchOperations: 45 });
      await expect(kvs.get('t:99')).resolves.toBe(99);
    });

    it('when the write units are spent, 429 TOO_MANY_REQUESTS: nothing applied or counted', async () => {
      const clock = createClock();
      const { kvs, service } = createSandboxKvs({
        now: clock.now,
        quotas: { enforce: true, writesPerMinute: 10 },
      });
      await kvs.set('kept', 'before');
      for (let index = 0; index < 8; index += 1) await kvs.set(`w:${index}`, index);
      // 9 of 10 units used; a transaction of ~21 KB needs 3.
      clock.advance(20_000);
      const refused = await kvs
        .transact()
        .set('tx:a', 'x'.repeat(10 * 1024))
        .set('tx:b', 'y'.repeat(10 * 1024))
        .delete('kept')
        .execute()
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(ForgeKvsAPIError);
      expect(refused).toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringContaining('needs 3'),
        responseDetails: { status: 429 },
      });
      expect(service.snapshot().keys).not.toHaveProperty('tx:a');
      await expect(kvs.get('kept')).resolves.toBe('before');
      expect(service.quotaUsage().writeUnits).toBe(9);
      const retryAfter = service.handle(
        '/api/v1/transaction',
        JSON.stringify({ set: [{ key: 'tx:c', value: 'z'.repeat(20 * 1024) }] }),
      ).headers?.['retry-after'];
      expect(retryAfter).toBe('40');
      // A transaction of 1 unit still fits; once the minute has passed the large one does too.
      await expect(kvs.transact().set('small', 1).execute()).resolves.toBeUndefined();
      clock.advance(40_000);
      await kvs
        .transact()
        .set('tx:a', 'x'.repeat(10 * 1024))
        .set('tx:b', 'y')
        .delete('kept')
        .execute();
      await expect(kvs.get('kept')).resolves.toBeUndefined();
    });

    it('refuses a payload over 4 MB with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
      const { kvs, service } = createSandboxKvs();
      const transaction = kvs.transact();
      for (let index = 0; index < 18; index += 1) transaction.set(`huge:${index}`, 'x'.repeat(235 * 1024));
      await expect(transaction.execute()).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        responseDetails: { status: 413 },
      });
      expect(service.snapshot().keys).toEqual({});
    });
  });

  it('counts only 10 KB units under the quota page reading (batchOperationsPerMinute: Infinity)', async () => {
    const { kvs } = createSandboxKvs({ quotas: { enforce: true, batchOperationsPerMinute: Infinity } });
    for (let index = 0; index < 60; index += 1) await kvs.batchSet([{ key: `b:${index}`, value: index }]);
    await expect(kvs.batchGet([{ key: 'b:1' }])).resolves.toMatchObject({ successfulKeys: [{ key: 'b:1' }] });
  });
});
