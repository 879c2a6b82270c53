import { ExternalEndpointNotAllowedError, fetch } from '@forge/api';
import { classifyPlatformStatus, type DeliveryAnswer } from '../domain/callback-retry';
import { parseRetryAfterMs } from '../domain/retry-after';
import type { CallbackSender } from '../usecases/callback-ports';
import { SIGNATURE_HEADER, signPayload } from '../domain/signature';

/**
 * POSTs one callback to the platform through Forge's egress-checked `fetch`: JSON body signed like
 * ingest (`X-Signature: t=…,v1=HMAC-SHA256(secret, "<t>.<body>")`), `Idempotency-Key` = the
 * callback id, and the event type in `X-Finding-Sync-Event`. The answer is classified once:
 * 2xx delivered; 408/425/429/5xx and network failures retried (with `Retry-After`); other 4xx
 * and an origin missing from the egress allowlist refused (a dead letter: retrying cannot help).
 */

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const EVENT_HEADER = 'X-Finding-Sync-Event';
const MAX_ERROR_TEXT = 300;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export const callbackSender: CallbackSender = {
  async send({ url, callback, secret, now }): Promise<DeliveryAnswer> {
    const body = JSON.stringify(callback);
    const headers = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      [SIGNATURE_HEADER]: signPayload(secret, body, Math.floor(now.getTime() / 1000)),
      [IDEMPOTENCY_HEADER]: callback.id,
      [EVENT_HEADER]: callback.type,
      'User-Agent': 'finding-sync-for-jira',
    };
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, { method: 'POST', headers, body });
    } catch (error) {
      if (error instanceof ExternalEndpointNotAllowedError) {
        return {
          kind: 'rejected',
          status: 0,
          message:
            "The platform URL is not in the app's egress allowlist (manifest permissions.external.fetch.backend): " +
            error.message,
        };
      }
      return { kind: 'retry', message: `The platform could not be reached (${describe(error)})` };
    }
    let text = '';
    try {
      text = (await response.text()).slice(0, MAX_ERROR_TEXT);
    } catch {
      text = '';
    }
    const verdict = classifyPlatformStatus(response.status);
    if (verdict === 'delivered') return { kind: 'delivered', status: response.status };
    const message = `HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ').trim()}` : ''}`;
    if (verdict === 'rejected') return { kind: 'rejected', status: response.status, message };
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), now.getTime());
    return { kind: 'retry', status: response.status, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  },
};
