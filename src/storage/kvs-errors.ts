import { InternalServerError, InvocationLimitReachedError, PartialSuccessError, RateLimitError } from '@forge/events';
import { ConflictError, TransientError } from '../usecases/errors';

/**
 * The one place that reads @forge/kvs and @forge/events failures and translates them into the
 * app's error family, so that nothing above storage/ looks at SDK error shapes:
 *
 * - a conditional write that lost (409 `KEY_CONFLICT` for `FAIL_IF_EXISTS`, a failed transaction
 *   condition) → `ConflictError`;
 * - KVS quota (429) → `TransientError` `storage-rate-limited`; KVS 5xx → `upstream-unavailable`;
 * - a queue push refused for rate (`RateLimitError`) or by a server error → `TransientError`; refused by the event
 *   chain's limit (`InvocationLimitReachedError`) or only partly recorded (`PartialSuccessError`) → `TransientError`
 *   `queue-refused` (what was not queued is found again by the sweeps: the inbox's due records, the outbox's
 *   stalled entries);
 * - anything else (a bad key, a value too large…) is a bug: passed on unchanged.
 */

const CONFLICT_CODES: ReadonlySet<unknown> = new Set(['KEY_CONFLICT', 'KEY_ALREADY_EXISTS', 'CONDITION_CHECK_FAILED']);
const KVS_RATE_LIMIT_WAIT_MS = 60_000; // KVS quotas are per minute
const KVS_UNAVAILABLE_WAIT_MS = 5_000;
const QUEUE_RATE_LIMIT_WAIT_MS = 30_000;

export function translateStorageError(error: unknown): unknown {
  if (error instanceof TransientError || error instanceof ConflictError || !(error instanceof Error)) return error;
  const { code, responseDetails } = error as { code?: unknown; responseDetails?: { status?: unknown } };
  const status = typeof responseDetails?.status === 'number' ? responseDetails.status : undefined;
  if (CONFLICT_CODES.has(code) || status === 409) return new ConflictError(error.message);
  if (status === 429)
    return new TransientError(`KVS rate limit: ${error.message}`, KVS_RATE_LIMIT_WAIT_MS, 'storage-rate-limited');
  if (status !== undefined && status >= 500)
    return new TransientError(
      `KVS answered ${status}: ${error.message}`,
      KVS_UNAVAILABLE_WAIT_MS,
      'upstream-unavailable',
    );
  // @forge/events push errors carry no status (nor a name), only their class.
  if (error instanceof RateLimitError)
    return new TransientError(`Queue rate limit: ${error.message}`, QUEUE_RATE_LIMIT_WAIT_MS, 'rate-limited');
  if (error instanceof InvocationLimitReachedError || error instanceof PartialSuccessError)
    return new TransientError(`Queue push refused: ${error.message}`, QUEUE_RATE_LIMIT_WAIT_MS, 'queue-refused');
  if (error instanceof InternalServerError)
    return new TransientError(`Queue unavailable: ${error.message}`, KVS_UNAVAILABLE_WAIT_MS, 'upstream-unavailable');
  return error;
}

/** Runs one SDK call (or a few), rethrowing its failure translated. Every repository call goes through it. */
export async function storageCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateStorageError(error);
  }
}
