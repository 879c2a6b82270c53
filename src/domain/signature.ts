import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC request signatures for both directions (platform → app ingest, app → platform callbacks):
 * `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 *
 * Pure: the caller passes the clock (`nowSeconds`) and the secrets. Replay protection needs
 * storage, so `verifySignature` returns a `signatureId` and `replayExpiresAtSeconds`: the caller
 * records the id (e.g. a KVS key with that expiry) and refuses a second request with the same id.
 */

export const SIGNATURE_HEADER = 'X-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;
const MAX_HEADER_LENGTH = 1024;
const MAX_SIGNATURES = 4;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

export type SignatureSecrets = { current: string; previous?: string };
export type RawBody = string | Uint8Array;

export type SignatureFailureReason = 'missing' | 'malformed' | 'expired' | 'mismatch';
export type VerifySignatureResult =
  | {
      ok: true;
      t: number;
      v1: string;
      /** Which secret matched: `previous` only during a rotation grace period. */
      secret: 'current' | 'previous';
      /** The id to remember for replay detection. */
      signatureId: string;
      /** After this instant the signature is expired anyway, so the remembered id may be forgotten. */
      replayExpiresAtSeconds: number;
    }
  | { ok: false; reason: SignatureFailureReason };

export type VerifySignatureInput = {
  /** The header value; Forge gives header values as arrays. */
  header: string | ReadonlyArray<string> | undefined | null;
  rawBody: RawBody;
  secrets: SignatureSecrets;
  nowSeconds: number;
  toleranceSeconds?: number;
};

function computeDigest(secret: string, body: RawBody, t: number): Buffer {
  return createHmac('sha256', secret).update(`${t}.`, 'utf8').update(body).digest();
}

/** The header value for `body` signed with `secret` at `t` (unix seconds). */
export function signPayload(secret: string, body: RawBody, t: number): string {
  if (!Number.isSafeInteger(t) || t < 0) throw new RangeError('t must be a non-negative integer (unix seconds)');
  return `t=${t},v1=${computeDigest(secret, body, t).toString('hex')}`;
}

export type ParsedSignatureHeader = { t: number; v1: string[] };

/**
 * Parses `t=<digits>,v1=<64 hex>[,v1=...]`. Unknown schemes (e.g. `v0=`) are ignored so the
 * format can evolve; at least one `v1` and exactly one `t` are required.
 */
export function parseSignatureHeader(header: string): ParsedSignatureHeader | undefined {
  if (header.length === 0 || header.length > MAX_HEADER_LENGTH) return undefined;
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return undefined;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (t !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      t = Number(value);
    } else if (key === 'v1') {
      const hex = value.toLowerCase();
      if (!HEX_SHA256.test(hex) || v1.length >= MAX_SIGNATURES) return undefined;
      v1.push(hex);
    }
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

function readHeader(header: VerifySignatureInput['header']): string | undefined | null {
  if (header === undefined || header === null) return undefined;
  if (typeof header === 'string') return header.trim() === '' ? undefined : header;
  const values = header.map((value) => value.trim()).filter((value) => value !== '');
  if (values.length === 0) return undefined;
  return new Set(values).size === 1 ? values[0] : null;
}

/** A stable id for one signature, for replay detection (no secret material in it). */
export function computeSignatureId(t: number, v1: string): string {
  return createHash('sha256').update(`${t}.${v1.toLowerCase()}`, 'utf8').digest('hex').slice(0, 40);
}

/**
 * Verifies a signature in constant time with respect to its content: every candidate `v1` is
 * compared with every accepted secret's digest using `timingSafeEqual` on equal-length buffers,
 * and the loop never stops early on a match.
 */
export function verifySignature(input: VerifySignatureInput): VerifySignatureResult {
  const header = readHeader(input.header);
  if (header === undefined) return { ok: false, reason: 'missing' };
  if (header === null) return { ok: false, reason: 'malformed' };
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed' };

  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - parsed.t) > tolerance) return { ok: false, reason: 'expired' };

  const candidates: Array<{ secret: 'current' | 'previous'; digest: Buffer }> = [
    { secret: 'current', digest: computeDigest(input.secrets.current, input.rawBody, parsed.t) },
  ];
  if (input.secrets.previous !== undefined && input.secrets.previous !== '') {
    candidates.push({ secret: 'previous', digest: computeDigest(input.secrets.previous, input.rawBody, parsed.t) });
  }

  let matched: { secret: 'current' | 'previous'; v1: string } | undefined;
  for (const v1 of parsed.v1) {
    const received = Buffer.from(v1, 'hex');
    for (const candidate of candidates) {
      const equal = received.length === candidate.digest.length && timingSafeEqual(received, candidate.digest);
      if (equal && matched === undefined) matched = { secret: candidate.secret, v1 };
    }
  }
  if (!matched) return { ok: false, reason: 'mismatch' };
  return {
    ok: true,
    t: parsed.t,
    v1: matched.v1,
    secret: matched.secret,
    signatureId: computeSignatureId(parsed.t, matched.v1),
    replayExpiresAtSeconds: parsed.t + tolerance,
  };
}
