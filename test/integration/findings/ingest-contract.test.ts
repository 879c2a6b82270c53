import { runAsAppRotate } from './secret-helpers';
import { buildFinding } from '../../builders/finding';
import { signPayload } from '../../../src/domain/signature';
import {
  batch,
  createFindingsSandbox,
  kvsKeys,
  postFindings,
  postRaw,
  quietAppLogs,
  TEST_SECRET,
} from './findings-sandbox';
import { createSandbox } from '../../../sandbox';

/** The ingest web trigger's HTTP contract (README "Ingest contract"). */
describe('ingest web trigger contract', () => {
  beforeAll(quietAppLogs);

  async function nothingStored(sandbox: Awaited<ReturnType<typeof createFindingsSandbox>>) {
    expect(await kvsKeys(sandbox, 'inbox:')).toEqual([]);
    expect(sandbox.queues.pending()).toEqual([]);
  }

  it('answers 202 with accepted, duplicates and per-finding rejections; a bad finding blocks no other', async () => {
    const sandbox = await createFindingsSandbox();
    const good = buildFinding({ id: 'good-1' });
    const response = await postFindings(sandbox, {
      source: 'conviso',
      findings: [
        good,
        { id: 'bad-1', title: 'x', severity: 'catastrophic' },
        { title: 'no id', severity: 'high' },
        { ...good, title: 'older copy', updatedAt: '2020-01-01T00:00:00Z' },
        buildFinding({ id: 'good-2' }),
      ],
    });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(response.json['rejected']).toEqual([
      {
        index: 1,
        id: 'bad-1',
        errors: [{ path: 'severity', message: 'Must be one of critical, high, medium, low, info' }],
      },
      { index: 2, errors: expect.arrayContaining([{ path: 'id', message: expect.any(String) }]) },
    ]);
    expect(await kvsKeys(sandbox, 'inbox:')).toHaveLength(1);
    expect(sandbox.queues.pending('finding-sync')).toHaveLength(1);
  });

  it('accepts a single finding object, and answers 400 with the errors when that finding is invalid', async () => {
    const sandbox = await createFindingsSandbox();
    expect((await postFindings(sandbox, buildFinding({ id: 'single' }))).json).toMatchObject({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    const bad = await postFindings(sandbox, { id: 'x', title: 'Bad\u0007bell', severity: 'high' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: {
        code: 'INVALID_BODY',
        message: 'The finding is not valid',
        details: [{ path: 'title', message: expect.stringContaining('control characters') }],
      },
    });
  });

  it.each([
    ['no signature', { signature: null }, 'The X-Signature header is missing'],
    [
      'a malformed signature',
      { signature: 't=abc,v1=zz' },
      'The X-Signature header must be "t=<unix seconds>,v1=<hex HMAC-SHA256>"',
    ],
    [
      'the wrong secret',
      { secret: 'another-secret-0123456789abcdef0123456789' },
      'The signature does not match the body',
    ],
    [
      'a timestamp 301 s old',
      { t: Math.floor(Date.now() / 1000) - 301 },
      'The signature timestamp is more than 300 seconds from now',
    ],
  ])('answers 401 for %s and stores nothing', async (_label, options, message) => {
    const sandbox = await createFindingsSandbox();
    const response = await postFindings(sandbox, batch([buildFinding()]), options);
    expect(response).toEqual({ status: 401, json: { error: { code: 'UNAUTHORIZED', message } } });
    await nothingStored(sandbox);
  });

  it('verifies the signature over the raw bytes: re-serialised JSON does not match', async () => {
    const sandbox = await createFindingsSandbox();
    const body = JSON.stringify(batch([buildFinding()]));
    const t = Math.floor(Date.now() / 1000);
    const response = await postRaw(sandbox, JSON.stringify(JSON.parse(body), null, 2), {
      signature: signPayload(TEST_SECRET, body, t),
    });
    expect(response.status).toBe(401);
  });

  it('rejects a replayed signature within the window', async () => {
    const sandbox = await createFindingsSandbox();
    const body = JSON.stringify(batch([buildFinding()]));
    const signature = signPayload(TEST_SECRET, body, Math.floor(Date.now() / 1000));
    const accepted = await postRaw(sandbox, body, { signature });
    expect(accepted.status).toBe(202);
    const batchId = String(accepted.json['batchId']);
    expect(await postRaw(sandbox, body, { signature })).toEqual({
      status: 401,
      json: {
        error: {
          code: 'UNAUTHORIZED',
          message: `This signature was already used: the request it signed was accepted as batch ${batchId}`,
        },
      },
    });
  });

  it('looks headers up case-insensitively', async () => {
    const sandbox = await createFindingsSandbox();
    const body = JSON.stringify(buildFinding());
    const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
      headers: {
        'content-TYPE': 'application/json; charset=utf-8',
        'x-SIGNATURE': signPayload(TEST_SECRET, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(response.status).toBe(202);
  });

  it('accepts the previous secret during the rotation grace period only', async () => {
    const sandbox = await createFindingsSandbox();
    const { current } = await runAsAppRotate(sandbox, { graceSeconds: 3600 });
    expect((await postFindings(sandbox, buildFinding({ id: 'old-secret' }))).status).toBe(202);
    expect((await postFindings(sandbox, buildFinding({ id: 'new-secret' }), { secret: current })).status).toBe(202);
    const { current: third } = await runAsAppRotate(sandbox, { graceSeconds: 0 });
    expect((await postFindings(sandbox, buildFinding({ id: 'stale' }), { secret: current })).status).toBe(401);
    expect((await postFindings(sandbox, buildFinding({ id: 'third' }), { secret: third })).status).toBe(202);
  });

  it('answers 415 for an unknown content type, 405 for GET, 400 for malformed JSON', async () => {
    const sandbox = await createFindingsSandbox();
    expect((await postRaw(sandbox, 'id=1', { contentType: 'application/x-www-form-urlencoded' })).json).toMatchObject({
      error: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
    expect((await postRaw(sandbox, '{}', { contentType: 'text/plain' })).status).toBe(415);
    expect((await postRaw(sandbox, '', { method: 'GET' })).status).toBe(405);
    const malformed = await postRaw(sandbox, '{"source": "x", "findings": [');
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({
      error: { code: 'MALFORMED_JSON', message: expect.stringContaining('not valid JSON') },
    });
    await nothingStored(sandbox);
  });

  it('answers 413 over the 5 MB web trigger limit', async () => {
    const sandbox = await createFindingsSandbox();
    const response = await postRaw(
      sandbox,
      JSON.stringify({ source: 'x', findings: [], pad: 'x'.repeat(5 * 1024 * 1024) }),
    );
    expect(response.status).toBe(413);
    await nothingStored(sandbox);
  });

  it('answers its own clear 413 naming the 4 MB limit for a body Forge still delivers (4.5 MB)', async () => {
    const sandbox = await createFindingsSandbox();
    const body = JSON.stringify({ source: 'x', findings: [], pad: 'x'.repeat(4.5 * 1024 * 1024) });
    const response = await postRaw(sandbox, body);
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining(`limit is ${4 * 1024 * 1024} bytes`) },
    });
    await nothingStored(sandbox);
  });

  it('Forge refuses a body under 5 MB whose JSON-escaped event is over 5 MB, before the app runs', async () => {
    const sandbox = await createFindingsSandbox();
    // 3 MB of quotes: 3 MB raw, ~6 MB once escaped inside the event's `body` string.
    const body = JSON.stringify({ source: 'x', findings: [], pad: '"'.repeat(1.5 * 1024 * 1024) });
    expect(Buffer.byteLength(body)).toBeLessThan(5 * 1024 * 1024);
    const before = sandbox.sdkCalls.length;
    const response = await postRaw(sandbox, body);
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ message: expect.stringContaining('JSON-escaped body') });
    expect(sandbox.sdkCalls.length).toBe(before); // the app never ran
    await nothingStored(sandbox);
  });

  it.each([
    ['deep nesting', () => `{"source":"x","findings":[${'['.repeat(40)}${']'.repeat(40)}]}`, 'HOSTILE_INPUT'],
    [
      'a __proto__ key',
      () => '{"source":"x","findings":[{"id":"p","title":"t","severity":"high","__proto__":{"admin":true}}]}',
      'HOSTILE_INPUT',
    ],
    ['a huge string', () => JSON.stringify(batch([buildFinding({ title: 'x'.repeat(200_000) })])), 'HOSTILE_INPUT'],
    [
      'a 10,000-element array',
      () =>
        JSON.stringify(
          batch([buildFinding({ cve: Array.from({ length: 10_000 }, (_, i) => `CVE-2024-${10000 + i}`) })]),
        ),
      'HOSTILE_INPUT',
    ],
    [
      '10,000 findings',
      () => JSON.stringify({ source: 'x', findings: Array.from({ length: 10_000 }, (_, i) => ({ id: `f${i}` })) }),
      'HOSTILE_INPUT',
    ],
    ['a batch without findings array', () => JSON.stringify({ source: 'x', findings: 'all' }), 'INVALID_BODY'],
  ])('refuses %s with a clear 400 and stores nothing', async (_label, body, code) => {
    const sandbox = await createFindingsSandbox();
    const response = await postRaw(sandbox, body());
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code } });
    await nothingStored(sandbox);
  });

  it('answers 503 NOT_CONFIGURED before a signing secret exists', async () => {
    const sandbox = createSandbox({ jira: { seed: 'empty' } });
    const response = await postFindings(sandbox, buildFinding());
    expect(response).toEqual({ status: 503, json: { error: { code: 'NOT_CONFIGURED', message: expect.any(String) } } });
  });
});
