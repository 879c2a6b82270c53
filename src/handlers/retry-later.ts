import { InvocationError, InvocationErrorCode } from '@forge/events';
import { TransientError } from '../usecases/errors';

/** Asks Forge to deliver the event again after `seconds` (clamped to Forge's 1–900 s). */
export function retryLater(seconds: number): InvocationError {
  return new InvocationError({
    retryAfter: Math.min(900, Math.max(1, Math.ceil(seconds))),
    retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  });
}

/** Forge delivers an event again at most 4 times after its first attempt ("Async events API", retrying events). */
export const FORGE_EVENT_RETRIES = 4;

/**
 * An idempotent queue-event step failed unexpectedly: ask for a retry after 30 s, 60 s, 120 s, 240 s; after Forge's
 * last retry, rethrow `error` so Forge records the failure.
 */
export function retryWithBackoff(error: unknown, retryCount: number): InvocationError {
  if (retryCount >= FORGE_EVENT_RETRIES) throw error;
  return retryLater(30 * 2 ** retryCount);
}

/**
 * Runs an idempotent event use case; a throttled dependency (Jira, KVS or the callback queue:
 * `TransientError`) becomes a retry after the time it named, any other failure throws so Forge records it.
 */
export async function retryingTransient<T>(run: () => Promise<T>): Promise<T | InvocationError> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TransientError) return retryLater(error.retryAfterMs / 1000);
    throw error;
  }
}
