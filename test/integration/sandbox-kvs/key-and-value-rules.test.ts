import { ForgeKvsAPIError } from '@forge/kvs';
import { createKvsService } from '../../../sandbox/kvs';
import { captureRequest, createSandboxKvs, parseBody } from './kvs-package-client';

const MAX_VALUE_BYTES = 240 * 1024;

function nest(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { next: value };
  return value;
}

/** A string value whose JSON text is exactly `bytes` long (the two quotes included). */
function stringOfJsonBytes(bytes: number): string {
  return 'x'.repeat(bytes - 2);
}

describe('sandbox KVS key rules (Forge: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/, 2..500 characters)', () => {
  // expected: the error code, or 'OK'
  const cases: Array<[label: string, key: string, expected: string]> = [
    ['empty key', '', 'KEY_TOO_SHORT'],
    ['one character', 'a', 'KEY_TOO_SHORT'],
    ['two characters', 'ab', 'OK'],
    ['500 characters', 'k'.repeat(500), 'OK'],
    ['501 characters', 'k'.repeat(501), 'KEY_TOO_LONG'],
    ['all allowed punctuation', 'link:finding.1_a-b#c d', 'OK'],
    ['slash', 'link/ABC-1', 'INVALID_KEY'],
    ['whitespace only', '   ', 'INVALID_KEY'],
    ['tab inside', 'a\tb', 'OK'],
    ['leading and trailing space', ' ab ', 'OK'],
    ['at sign', 'user@example', 'INVALID_KEY'],
    ['non-ASCII letter', 'clé', 'INVALID_KEY'],
    ['question mark', 'what?', 'INVALID_KEY'],
    ['plus sign', 'a+b', 'INVALID_KEY'],
    ['comma', 'a,b', 'INVALID_KEY'],
  ];

  const table = cases.map(([label, key, expected]) => ({ label, key, expected }));

  it.each(table)('set with $label answers $expected', async ({ key, expected }) => {
    const service = createKvsService();
    const request = await captureRequest((kvs) => kvs.set(key, 'v'));
    expect(request.path).toBe('/api/v1/set');
    const response = service.handle(request.path, JSON.stringify(request.body));
    if (expected === 'OK') {
      expect(response.status).toBe(204);
      expect(service.snapshot().keys[key]?.value).toBe('v');
    } else {
      expect(response.status).toBe(400);
      expect(parseBody(response)).toMatchObject({ code: expected, message: expect.any(String) });
      expect(service.snapshot().keys).toEqual({});
    }
  });

  it.each(table.filter(({ expected }) => expected !== 'OK'))(
    'the real package raises ForgeKvsAPIError $expected for $label on get, set, delete and getSecret',
    async ({ key, expected }) => {
      const { kvs } = createSandboxKvs();
      for (const call of [() => kvs.get(key), () => kvs.set(key, 1), () => kvs.delete(key), () => kvs.getSecret(key)]) {
        const error = await call().then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(ForgeKvsAPIError);
        expect(error).toMatchObject({ code: expected, responseDetails: { status: 400 } });
      }
    },
  );
});

describe('sandbox KVS value rules', () => {
  it('accepts a value of exactly 240 KiB and refuses one byte more with MAX_SIZE', async () => {
    const { kvs } = createSandboxKvs();
    await expect(kvs.set('big', stringOfJsonBytes(MAX_VALUE_BYTES))).resolves.toBeUndefined();
    await expect(kvs.set('big2', stringOfJsonBytes(MAX_VALUE_BYTES + 1))).rejects.toMatchObject({
      code: 'MAX_SIZE',
      responseDetails: { status: 400 },
    });
    expect((await kvs.get<string>('big'))?.length).toBe(MAX_VALUE_BYTES - 2);
    await expect(kvs.get('big2')).resolves.toBeUndefined();
  });

  it('measures size in UTF-8 bytes of the JSON, not in characters', async () => {
    const { kvs } = createSandboxKvs();
    const euros = '€'.repeat(Math.floor(MAX_VALUE_BYTES / 3)); // 3 bytes each, ~80 K characters
    await expect(kvs.set('euros', euros)).rejects.toMatchObject({ code: 'MAX_SIZE' });
  });

  it('accepts 32 levels of nesting and refuses 33 with MAX_DEPTH', async () => {
    const { kvs } = createSandboxKvs();
    await expect(kvs.set('deep', nest(32))).resolves.toBeUndefined();
    await expect(kvs.set('deeper', nest(33))).rejects.toMatchObject({
      code: 'MAX_DEPTH',
      responseDetails: { status: 400 },
    });
    await expect(kvs.set('deep-array', [[[[]]]])).resolves.toBeUndefined();
  });

  it('limits secrets to 128 KiB', async () => {
    const { kvs } = createSandboxKvs();
    await expect(kvs.setSecret('token', stringOfJsonBytes(128 * 1024))).resolves.toBeUndefined();
    await expect(kvs.setSecret('token2', stringOfJsonBytes(128 * 1024 + 1))).rejects.toMatchObject({
      code: 'MAX_SIZE',
    });
  });

  it.each([
    ['string', 'text'],
    ['number', 42.5],
    ['zero', 0],
    ['boolean', false],
    ['empty string', ''],
    ['array', [1, 'two', { three: 3 }]],
    ['object', { nested: { list: [true, null] } }],
  ])('round-trips a %s value unchanged', async (_label, value) => {
    const { kvs } = createSandboxKvs();
    await kvs.set('value:k', value);
    await expect(kvs.get('value:k')).resolves.toEqual(value);
  });

  it('refuses null (not a storable JSON value) with a clear error and stores nothing', async () => {
    const { kvs, service } = createSandboxKvs();
    await expect(kvs.set('nothing', null)).rejects.toMatchObject({
      code: 'INVALID_VALUE',
      responseDetails: { status: 400 },
    });
    expect(service.snapshot().keys).toEqual({});
  });

  it('answers BAD_REQUEST for a body that is not JSON or has unknown fields', () => {
    const service = createKvsService();
    expect(parseBody(service.handle('/api/v1/set', '{not json'))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(parseBody(service.handle('/api/v1/get', undefined))).toMatchObject({ code: 'BAD_REQUEST' });
    const unknownField = service.handle(
      '/api/v1/get',
      JSON.stringify({ key: 'ab', options: { metadataFields: ['INVALID'] } }),
    );
    expect(unknownField.status).toBe(400);
    expect(parseBody(unknownField)).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('metadataFields'),
    });
    expect(
      parseBody(service.handle('/api/v1/set', JSON.stringify({ key: 'ab', value: 1, extra: true }))),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('extra'),
    });
  });

  it('answers 404 NOT_FOUND for a path it does not serve', () => {
    const response = createKvsService().handle('/api/v2/get', JSON.stringify({ key: 'ab' }));
    expect(response.status).toBe(404);
    expect(parseBody(response)).toMatchObject({ code: 'NOT_FOUND' });
  });
});
