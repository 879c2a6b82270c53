import { fetch } from '@forge/api';
import { SIGNATURE_HEADER, signPayload } from '../domain/signature';
import type { PlatformPinger } from '../usecases/admin/admin-ports';

/**
 * Signed POSTs to the security platform through Forge's egress-checked `fetch` (the origin must be in the manifest).
 */
const TIMEOUT_MS = 10_000;
const MAX_BODY_CHARS = 500;

export const platformPinger: PlatformPinger = {
  async postSigned(url, body, secret) {
    const signature = signPayload(secret, body, Math.floor(Date.now() / 1000));
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signature },
        body,
        signal: timeout.signal,
      });
      const text = await response.text();
      return { status: response.status, body: text.slice(0, MAX_BODY_CHARS) };
    } catch (error) {
      if (timeout.signal.aborted) return { error: `no answer within ${TIMEOUT_MS / 1000} s` };
      return { error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  },
};
