import { MetadataField } from '@forge/kvs';
import { captureRequest, createClock, createSandboxKvs, parseBody } from './kvs-package-client';

describe('sandbox KVS get / set / delete through the real @forge/kvs', () => {
  it('sends the documented paths and bodies', async () => {
    expect(await captureRequest((kvs) => kvs.get('ab'))).toEqual({ path: '/api/v1/get', body: { key: 'ab' } });
    expect(await captureRequest((kvs) => kvs.set('ab', { a: 1 }, { ttl: { value: 5, unit: 'MINUTES' } }))).toEqual({
      path: '/api/v1/set',
      body: { key: 'ab', value: { a: 1 }, options: { ttl: { value: 5, unit: 'MINUTES' } } },
    });
    expect(await captureRequest((kvs) => kvs.delete('ab'))).toEqual({ path: '/api/v1/delete', body: { key: 'ab' } });
    expect(await captureRequest((kvs) => kvs.getSecret('ab'))).toEqual({
      path: '/api/v1/secret/get',
      body: { key: 'ab' },
    });
  });

  it('stores, overwrites and deletes a value', async () => {
    const { kvs, service } = createSandboxKvs();
    await kvs.set('config:main', { severity: 'high' });
    await expect(kvs.get('config:main')).resolves.toEqual({ severity: 'high' });
    await kvs.set('config:main', { severity: 'low' });
    await expect(kvs.get('config:main')).resolves.toEqual({ severity: 'low' });
    await kvs.delete('config:main');
    await expect(kvs.get('config:main')).resolves.toBeUndefined();
    expect(service.snapshot().keys).toEqual({});
  });

  it('answers 404 KEY_NOT_FOUND for a missing key, which the package turns into undefined / success', async () => {
    const { kvs, service } = createSandboxKvs();
    const response = service.handle('/api/v1/get', JSON.stringify({ key: 'missing' }));
    expect(response.status).toBe(404);
    expect(parseBody(response)).toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(service.handle('/api/v1/delete', JSON.stringify({ key: 'missing' })).status).toBe(404);
    await expect(kvs.get('missing')).resolves.toBeUndefined();
    await expect(kvs.get('missing', { metadataFields: [MetadataField.CREATED_AT] })).resolves.toBeUndefined();
    await expect(kvs.delete('missing')).resolves.toBeUndefined();
    await expect(kvs.deleteSecret('missing')).resolves.toBeUndefined();
  });

  it('returns createdAt / updatedAt (epoch seconds) and expireTime (ISO) only when asked', async () => {
    const clock = createClock(Date.UTC(2025, 0, 12, 12, 0, 0));
    const { kvs } = createSandboxKvs({ now: clock.now });
    await kvs.set('meta', 'v1', { ttl: { value: 1, unit: 'HOURS' } });
    clock.advance(30_000);
    await kvs.set('meta', 'v2', { ttl: { value: 1, unit: 'HOURS' } });

    await expect(
      kvs.get('meta', {
        metadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT, MetadataField.EXPIRE_TIME],
      }),
    ).resolves.toEqual({
      key: 'meta',
      value: 'v2',
      createdAt: Date.UTC(2025, 0, 12, 12, 0, 0) / 1000,
      updatedAt: Date.UTC(2025, 0, 12, 12, 0, 30) / 1000,
      expireTime: '2025-01-12T13:00:30Z',
    });
    await expect(kvs.get('meta', { metadataFields: [MetadataField.UPDATED_AT] })).resolves.toEqual({
      key: 'meta',
      value: 'v2',
      updatedAt: Date.UTC(2025, 0, 12, 12, 0, 30) / 1000,
    });
  });

  it.each([
    ['SECONDS', 90, 90_000],
    ['MINUTES', 2, 120_000],
    ['HOURS', 1, 3_600_000],
    ['DAYS', 1, 86_400_000],
  ] as const)('expires a value set with a TTL of %s %s exactly after %s ms', async (unit, value, ms) => {
    const clock = createClock();
    const { kvs, service } = createSandboxKvs({ now: clock.now });
    await kvs.set('session:1', 'live', { ttl: { value, unit } });
    clock.advance(ms - 1);
    await expect(kvs.get('session:1')).resolves.toBe('live');
    clock.advance(1);
    await expect(kvs.get('session:1')).resolves.toBeUndefined();
    expect(service.snapshot().keys).toEqual({});
  });

  it('drops the TTL when a value is overwritten without one', async () => {
    const clock = createClock();
    const { kvs } = createSandboxKvs({ now: clock.now });
    await kvs.set('k:ttl', 1, { ttl: { value: 1, unit: 'SECONDS' } });
    await kvs.set('k:ttl', 2);
    clock.advance(10_000);
    await expect(kvs.get('k:ttl')).resolves.toBe(2);
  });

  it.each([
    ['zero', { value: 0, unit: 'SECONDS' }],
    ['negative', { value: -1, unit: 'MINUTES' }],
    ['fractional', { value: 1.5, unit: 'HOURS' }],
    ['unknown unit', { value: 1, unit: 'WEEKS' }],
  ])('refuses a %s TTL with BAD_REQUEST', async (_label, ttl) => {
    const { kvs } = createSandboxKvs();
    await expect(kvs.set('k:ttl', 1, { ttl } as never)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      responseDetails: { status: 400 },
    });
  });

  describe('keyPolicy and returnValue', () => {
    it('FAIL_IF_EXISTS creates a missing key and refuses an existing one with 409 KEY_CONFLICT', async () => {
      const { kvs } = createSandboxKvs();
      await expect(kvs.set('lock:sync', 'first', { keyPolicy: 'FAIL_IF_EXISTS' })).resolves.toBeUndefined();
      await expect(kvs.set('lock:sync', 'second', { keyPolicy: 'FAIL_IF_EXISTS' })).rejects.toMatchObject({
        code: 'KEY_CONFLICT',
        responseDetails: { status: 409 },
      });
      await expect(kvs.get('lock:sync')).resolves.toBe('first');
    });

    it('FAIL_IF_EXISTS treats an expired value as absent', async () => {
      const clock = createClock();
      const { kvs } = createSandboxKvs({ now: clock.now });
      await kvs.set('lock:lease', 'old', { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 30, unit: 'SECONDS' } });
      clock.advance(30_000);
      await expect(kvs.set('lock:lease', 'new', { keyPolicy: 'FAIL_IF_EXISTS' })).resolves.toBeUndefined();
      await expect(kvs.get('lock:lease')).resolves.toBe('new');
    });

    it('exactly one of many concurrent FAIL_IF_EXISTS writers wins', async () => {
      const { kvs } = createSandboxKvs();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, writer) => kvs.set('lock:race', writer, { keyPolicy: 'FAIL_IF_EXISTS' })),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(11);
    });

    it('OVERRIDE with returnValue PREVIOUS answers the replaced item, or undefined when there was none', async () => {
      const clock = createClock(Date.UTC(2025, 5, 1));
      const { kvs } = createSandboxKvs({ now: clock.now });
      await expect(kvs.set('counter', 1, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' })).resolves.toBeUndefined();
      clock.advance(5_000);
      await expect(
        kvs.set('counter', 2, {
          keyPolicy: 'OVERRIDE',
          returnValue: 'PREVIOUS',
          returnMetadataFields: [MetadataField.UPDATED_AT],
        }),
      ).resolves.toEqual({ key: 'counter', value: 1, updatedAt: Date.UTC(2025, 5, 1) / 1000 });
    });

    it('OVERRIDE with returnValue LATEST answers the new item with its metadata', async () => {
      const clock = createClock(Date.UTC(2025, 5, 1));
      const { kvs } = createSandboxKvs({ now: clock.now });
      await kvs.set('counter', 1);
      clock.advance(60_000);
      await expect(
        kvs.set('counter', 2, {
          keyPolicy: 'OVERRIDE',
          returnValue: 'LATEST',
          returnMetadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT, MetadataField.EXPIRE_TIME],
          ttl: { value: 1, unit: 'DAYS' },
        }),
      ).resolves.toEqual({
        key: 'counter',
        value: 2,
        createdAt: Date.UTC(2025, 5, 1) / 1000,
        updatedAt: Date.UTC(2025, 5, 1, 0, 1) / 1000,
        expireTime: '2025-06-02T00:01:00Z',
      });
    });

    it('refuses returnValue without keyPolicy OVERRIDE', async () => {
      const { service } = createSandboxKvs();
      for (const options of [{ returnValue: 'LATEST' }, { keyPolicy: 'FAIL_IF_EXISTS', returnValue: 'PREVIOUS' }]) {
        const response = service.handle('/api/v1/set', JSON.stringify({ key: 'ab', value: 1, options }));
        expect(response.status).toBe(400);
        expect(parseBody(response)).toMatchObject({
          code: 'BAD_REQUEST',
          message: expect.stringContaining('OVERRIDE'),
        });
      }
      expect(service.snapshot().keys).toEqual({});
    });
  });

  describe('secrets', () => {
    it('keeps secrets apart from plain keys, with the same key rules and policies', async () => {
      const { kvs, service } = createSandboxKvs();
      await kvs.setSecret('platform:secret', 's3cr3t');
      await kvs.set('platform:secret', 'plain');
      await expect(kvs.getSecret('platform:secret')).resolves.toBe('s3cr3t');
      await expect(kvs.get('platform:secret')).resolves.toBe('plain');
      await expect(kvs.setSecret('platform:secret', 'x', { keyPolicy: 'FAIL_IF_EXISTS' })).rejects.toMatchObject({
        code: 'KEY_CONFLICT',
      });
      await kvs.deleteSecret('platform:secret');
      await expect(kvs.getSecret('platform:secret')).resolves.toBeUndefined();
      await expect(kvs.get('platform:secret')).resolves.toBe('plain');
      expect(service.snapshot().secrets).toEqual({});
    });
  });
});
