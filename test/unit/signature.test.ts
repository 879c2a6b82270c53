import { createHmac } from 'node:crypto';
import { computeSignatureId, parseSignatureHeader, signPayload, verifySignature } from '../../src/domain/signature';

const SECRET = 'current-secret';
const OLD = 'previous-secret';
const BODY = '{"source":"s","findings":[{"id":"é"}]}';
const T = 1_714_564_800;

describe('signPayload', () => {
  it('produces t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signPayload(SECRET, BODY, T)).toBe(`t=${T},v1=${expected}`);
  });

  it('signs bytes and strings identically', () => {
    expect(signPayload(SECRET, Buffer.from(BODY, 'utf8'), T)).toBe(signPayload(SECRET, BODY, T));
  });

  it('refuses a non-integer timestamp', () => {
    expect(() => signPayload(SECRET, BODY, 1.5)).toThrow(RangeError);
  });
});

describe('verifySignature', () => {
  const header = signPayload(SECRET, BODY, T);
  const base = { header, rawBody: BODY, secrets: { current: SECRET }, nowSeconds: T };

  it('accepts a valid signature and exposes the replay id', () => {
    const result = verifySignature(base);
    expect(result).toEqual({
      ok: true,
      t: T,
      v1: header.split('v1=')[1],
      secret: 'current',
      signatureId: computeSignatureId(T, header.split('v1=')[1]!),
      replayExpiresAtSeconds: T + 300,
    });
  });

  it.each([
    ['no header', { header: undefined }, 'missing'],
    ['empty header', { header: '  ' }, 'missing'],
    ['empty header array', { header: [] }, 'missing'],
    ['two different header values', { header: [header, signPayload(OLD, BODY, T)] }, 'malformed'],
    ['garbage', { header: 'sha256=abc' }, 'malformed'],
    ['no v1', { header: `t=${T}` }, 'malformed'],
    ['no t', { header: header.replace(/^t=\d+,/, '') }, 'malformed'],
    ['short v1', { header: `t=${T},v1=abcd` }, 'malformed'],
    ['non-hex v1', { header: `t=${T},v1=${'z'.repeat(64)}` }, 'malformed'],
    ['negative t', { header: header.replace(`t=${T}`, `t=-${T}`) }, 'malformed'],
    ['t twice', { header: `t=${T},${header}` }, 'malformed'],
    ['t 301 s in the past', { nowSeconds: T + 301 }, 'expired'],
    ['t 301 s in the future', { nowSeconds: T - 301 }, 'expired'],
    ['body changed by one byte', { rawBody: BODY.replace('é', 'e') }, 'mismatch'],
    ['wrong secret', { secrets: { current: 'other' } }, 'mismatch'],
    ['t changed (signature of another instant)', { header: header.replace(`t=${T}`, `t=${T + 1}`) }, 'mismatch'],
    [
      'empty previous secret is not a wildcard',
      { header: signPayload('', BODY, T), secrets: { current: SECRET, previous: '' } },
      'mismatch',
    ],
  ])('%s → %s', (_label, override, reason) => {
    expect(verifySignature({ ...base, ...override })).toEqual({ ok: false, reason });
  });

  it.each([
    ['exactly 300 s old', T + 300],
    ['exactly 300 s ahead', T - 300],
  ])('accepts a signature %s', (_label, nowSeconds) => {
    expect(verifySignature({ ...base, nowSeconds }).ok).toBe(true);
  });

  it('honours a custom tolerance', () => {
    expect(verifySignature({ ...base, nowSeconds: T + 61, toleranceSeconds: 60 })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('accepts the previous secret during rotation and says so', () => {
    const result = verifySignature({
      ...base,
      header: signPayload(OLD, BODY, T),
      secrets: { current: SECRET, previous: OLD },
    });
    expect(result).toMatchObject({ ok: true, secret: 'previous' });
  });

  it('accepts a header array (Forge) and a header with spaces and several v1 values', () => {
    const other = signPayload('x', BODY, T).split('v1=')[1];
    const good = header.split('v1=')[1];
    expect(verifySignature({ ...base, header: [header] }).ok).toBe(true);
    const result = verifySignature({ ...base, header: `t=${T}, v1=${other}, v1=${good}, v0=legacy` });
    expect(result).toMatchObject({ ok: true, v1: good });
  });

  it('verifies raw bytes, not a re-serialised body', () => {
    const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
    expect(verifySignature({ ...base, rawBody: pretty })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ ...base, rawBody: Buffer.from(BODY) }).ok).toBe(true);
  });

  it('gives distinct replay ids to distinct signatures and the same id to a replay', () => {
    const first = verifySignature(base);
    const replay = verifySignature(base);
    const later = verifySignature({ ...base, header: signPayload(SECRET, BODY, T + 1), nowSeconds: T + 1 });
    expect(first.ok && replay.ok && first.signatureId === replay.signatureId).toBe(true);
    expect(first.ok && later.ok && first.signatureId !== later.signatureId).toBe(true);
  });
});

describe('parseSignatureHeader', () => {
  it.each([
    [`t=1,v1=${'a'.repeat(64)}`, { t: 1, v1: ['a'.repeat(64)] }],
    [`v1=${'A'.repeat(64)},t=2`, { t: 2, v1: ['a'.repeat(64)] }],
    [`t=1,v1=${'a'.repeat(64)},`, undefined],
    ['x'.repeat(2000), undefined],
  ])('%s', (header, expected) => {
    expect(parseSignatureHeader(header)).toEqual(expected);
  });
});
