import { MetadataField } from '@forge/kvs';
import { createKvsService } from '../../../sandbox/kvs';
import { captureRequest, createSandboxKvs, parseBody } from './kvs-package-client';

describe('sandbox KVS batch operations through the real @forge/kvs', () => {
  it('sends the item array itself as the body', async () => {
    const items = [
      { key: 'a:1', value: 1 },
      { key: 'a:2', value: 2, entityName: 'finding', options: { ttl: { value: 1, unit: 'DAYS' as const } } },
    ];
    expect(await captureRequest((kvs) => kvs.batchSet(items))).toEqual({ path: '/api/v1/batch/set', body: items });
    expect(await captureRequest((kvs) => kvs.batchGet([{ key: 'a:1' }]))).toEqual({
      path: '/api/v1/batch/get',
      body: [{ key: 'a:1' }],
    });
    expect(await captureRequest((kvs) => kvs.batchDelete([{ key: 'a:1' }]))).toEqual({
      path: '/api/v1/batch/delete',
      body: [{ key: 'a:1' }],
    });
  });

  it('sets, gets and deletes up to 25 keys, reporting each key on its own', async () => {
    const { kvs } = createSandboxKvs();
    const items = Array.from({ length: 25 }, (_, index) => ({ key: `bulk:${index}`, value: { index } }));
    await expect(kvs.batchSet(items)).resolves.toEqual({
      successfulKeys: items.map(({ key }) => ({ key })),
      failedKeys: [],
    });

    const got = await kvs.batchGet<{ index: number }>([{ key: 'bulk:3' }, { key: 'bulk:missing' }]);
    expect(got.successfulKeys).toEqual([{ key: 'bulk:3', value: { index: 3 } }]);
    expect(got.failedKeys).toEqual([
      { key: 'bulk:missing', error: { code: 'KEY_NOT_FOUND', message: expect.any(String) } },
    ]);

    const deleted = await kvs.batchDelete([{ key: 'bulk:0' }, { key: 'bulk:missing' }]);
    expect(deleted.successfulKeys).toEqual([{ key: 'bulk:0' }]);
    expect(deleted.failedKeys).toEqual([
      { key: 'bulk:missing', error: { code: 'KEY_NOT_FOUND', message: expect.any(String) } },
    ]);
    await expect(kvs.get('bulk:0')).resolves.toBeUndefined();
    await expect(kvs.get('bulk:1')).resolves.toEqual({ index: 1 });
  });

  it('stores the valid items of a batch and lists the invalid ones with Forge codes', async () => {
    const { kvs } = createSandboxKvs();
    const result = await kvs.batchSet([
      { key: 'ok:1', value: 'fine' },
      { key: 'bad/key', value: 'x' },
      { key: 'x', value: 'x' },
      { key: 'big', value: 'x'.repeat(240 * 1024) },
    ]);
    expect(result.successfulKeys).toEqual([{ key: 'ok:1' }]);
    expect(result.failedKeys.map(({ key, error }) => [key, error.code])).toEqual([
      ['bad/key', 'INVALID_KEY'],
      ['x', 'KEY_TOO_SHORT'],
      ['big', 'MAX_SIZE'],
    ]);
    await expect(kvs.get('ok:1')).resolves.toBe('fine');
  });

  it('returns metadata per item when asked', async () => {
    const { kvs } = createSandboxKvs({ now: () => Date.UTC(2025, 0, 1) });
    await kvs.batchSet([{ key: 'm:1', value: 1, options: { ttl: { value: 2, unit: 'HOURS' } } }]);
    const result = await kvs.batchGet([
      { key: 'm:1', options: { metadataFields: [MetadataField.CREATED_AT, MetadataField.EXPIRE_TIME] } } as never,
    ]);
    expect(result.successfulKeys).toEqual([
      { key: 'm:1', value: 1, createdAt: Date.UTC(2025, 0, 1) / 1000, expireTime: '2025-01-01T02:00:00Z' },
    ]);
  });

  it('keeps custom-entity items apart from plain keys of the same name', async () => {
    const { kvs } = createSandboxKvs();
    await kvs.batchSet<unknown>([
      { key: 'same', value: 'plain' },
      { key: 'same', entityName: 'finding-link', value: { issueKey: 'SEC-1' } },
    ]);
    const result = await kvs.batchGet([{ key: 'same' }, { key: 'same', entityName: 'finding-link' }]);
    expect(result.successfulKeys).toEqual([
      { key: 'same', value: 'plain' },
      { key: 'same', entityName: 'finding-link', value: { issueKey: 'SEC-1' } },
    ]);
    await expect(kvs.entity('finding-link').get('same')).resolves.toEqual({ issueKey: 'SEC-1' });
  });

  it.each([
    ['/api/v1/batch/set', []],
    ['/api/v1/batch/get', []],
    ['/api/v1/batch/delete', []],
  ])('refuses an empty %s with BATCH_EMPTY', (path, body) => {
    const response = createKvsService().handle(path, JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(parseBody(response)).toMatchObject({ code: 'BATCH_EMPTY' });
  });

  it('refuses 26 keys with BATCH_SIZE_EXCEEDED and writes none of them', async () => {
    const { kvs, service } = createSandboxKvs();
    const items = Array.from({ length: 26 }, (_, index) => ({ key: `bulk:${index}`, value: index }));
    await expect(kvs.batchSet(items)).rejects.toMatchObject({
      code: 'BATCH_SIZE_EXCEEDED',
      responseDetails: { status: 400 },
    });
    await expect(kvs.batchGet(items.map(({ key }) => ({ key })))).rejects.toMatchObject({
      code: 'BATCH_SIZE_EXCEEDED',
    });
    expect(service.snapshot().keys).toEqual({});
  });

  it('refuses a batch naming the same key twice with DUPLICATE_KEYS and writes nothing', async () => {
    const { kvs, service } = createSandboxKvs();
    await expect(
      kvs.batchSet([
        { key: 'dup', value: 1 },
        { key: 'dup', value: 2 },
      ]),
    ).rejects.toMatchObject({ code: 'DUPLICATE_KEYS' });
    await expect(kvs.batchDelete([{ key: 'dup' }, { key: 'dup' }])).rejects.toMatchObject({ code: 'DUPLICATE_KEYS' });
    expect(service.snapshot().keys).toEqual({});
  });

  it('refuses a batch payload over 4 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const { kvs } = createSandboxKvs();
    const items = Array.from({ length: 20 }, (_, index) => ({ key: `huge:${index}`, value: 'x'.repeat(230 * 1024) }));
    await expect(kvs.batchSet(items)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      responseDetails: { status: 413 },
    });
  });
});
