import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Sandbox } from '../../../sandbox';
import { signPayload } from '../../../src/domain/signature';
import { buildFinding } from '../../builders/finding';
import { batch, createFindingsSandbox, jiraIssues, kvsKeys, quietAppLogs, TEST_SECRET } from './findings-sandbox';

/**
 * Bodies the app cannot read (README "Bodies the app cannot read"): a compressed body answers 415 and a body that is
 * not UTF-8 answers 400, each saying so — never the 401 "signature does not match" the lost bytes would otherwise
 * cause — and nothing is stored.
 */
const json = JSON.stringify(batch([buildFinding({ id: 'enc-1', title: 'Café login bypass' })]));

type Sent = { status: number; code?: string; message?: string; ingestSdkCalls: string[] };

async function send(
  sandbox: Sandbox,
  body: Buffer,
  headers: Record<string, string> = {},
  signature: string = signPayload(TEST_SECRET, body, Math.floor(Date.now() / 1000)),
): Promise<Sent> {
  const before = sandbox.sdkCalls.length;
  const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
    headers: { 'Content-Type': 'application/json', 'X-Signature': signature, ...headers },
    body,
  });
  const answer = JSON.parse(response.body?.toString() ?? '{}') as { error?: { code: string; message: string } };
  return {
    status: response.status,
    ...(answer.error ? { code: answer.error.code, message: answer.error.message } : {}),
    ingestSdkCalls: sandbox.sdkCalls
      .slice(before)
      .filter((c) => c.functionKey === 'ingest')
      .map((c) => c.path),
  };
}

async function expectNothingStored(sandbox: Sandbox): Promise<void> {
  expect(await kvsKeys(sandbox, 'inbox:')).toEqual([]);
  expect(await kvsKeys(sandbox, 'replay:')).toEqual([]);
  await sandbox.settle();
  expect(await jiraIssues(sandbox)).toEqual([]);
}

describe('bodies the app cannot read', () => {
  beforeAll(quietAppLogs);
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await createFindingsSandbox();
  });
  afterEach(() => sandbox.close());

  it.each([
    ['gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['br', brotliCompressSync(json)],
    ['gzip, identity', gzipSync(json)],
  ])('Content-Encoding: %s, signed over the bytes sent → 415 naming it, before any storage call', async (coding, b) => {
    const sent = await send(sandbox, b, { 'Content-Encoding': coding });
    expect(sent).toEqual({
      status: 415,
      code: 'UNSUPPORTED_CONTENT_ENCODING',
      message: expect.stringContaining(`(Content-Encoding: ${coding.replace(', identity', '')})`),
      ingestSdkCalls: [],
    });
    expect(sent.message).toContain('Send it uncompressed');
    await expectNothingStored(sandbox);
  });

  it('a gzip body without Content-Encoding (magic bytes 1f 8b) → 415', async () => {
    const sent = await send(sandbox, gzipSync(json));
    expect(sent).toMatchObject({ status: 415, code: 'UNSUPPORTED_CONTENT_ENCODING', ingestSdkCalls: [] });
    expect(sent.message).toContain('gzip bytes 1f 8b');
    await expectNothingStored(sandbox);
  });

  it('a gzip body with a wrong signature → still 415: no signature can be judged on bytes never received', async () => {
    const wrong = signPayload('some-other-secret-0123456789abcdef', gzipSync(json), Math.floor(Date.now() / 1000));
    expect(await send(sandbox, gzipSync(json), { 'Content-Encoding': 'gzip' }, wrong)).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_CONTENT_ENCODING',
    });
    expect(await send(sandbox, gzipSync(json), {}, 't=1,v1=00')).toMatchObject({ status: 415 });
    await expectNothingStored(sandbox);
  });

  it('a Latin-1 body signed over its bytes → 400 BODY_NOT_UTF8 (one undecodable byte), nothing stored', async () => {
    const sent = await send(sandbox, Buffer.from(json, 'latin1'));
    expect(sent).toMatchObject({ status: 400, code: 'BODY_NOT_UTF8' });
    expect(sent.message).toContain('The body is not valid UTF-8');
    expect(sent.message).toContain('holds 1 U+FFFD');
    // Only the signing secret was read: no claim, no write.
    expect(sent.ingestSdkCalls).toEqual(['/api/v1/secret/get']);
    await expectNothingStored(sandbox);
  });

  it('a body that is not UTF-8 with a missing or expired signature → that 401', async () => {
    const latin1 = Buffer.from(json, 'latin1');
    expect(await send(sandbox, latin1, {}, '')).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const old = signPayload(TEST_SECRET, latin1, Math.floor(Date.now() / 1000) - 301);
    expect(await send(sandbox, latin1, {}, old)).toMatchObject({
      status: 401,
      message: 'The signature timestamp is more than 300 seconds from now',
    });
  });

  it('UTF-8 that really holds U+FFFD, correctly signed → 202, the character kept', async () => {
    const body = Buffer.from(JSON.stringify(batch([buildFinding({ id: 'enc-2', title: 'Decoder emits \ufffd' })])));
    expect(await send(sandbox, body)).toMatchObject({ status: 202 });
    await sandbox.settle();
    const issues = await jiraIssues(sandbox);
    expect(issues.map((i) => i.fields['summary'])).toEqual([expect.stringContaining('Decoder emits \ufffd')]);
  });

  it('valid UTF-8 with a wrong signature is still the plain 401', async () => {
    const body = Buffer.from(json);
    const wrong = signPayload('some-other-secret-0123456789abcdef', body, Math.floor(Date.now() / 1000));
    expect(await send(sandbox, body, {}, wrong)).toMatchObject({
      status: 401,
      message: 'The signature does not match the body',
    });
  });
});
