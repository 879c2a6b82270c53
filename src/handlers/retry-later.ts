import { InvocationError, InvocationErrorCode } from '@forge/events';
import { TransientError } from '../usecases/errors';

/** Asks Forge to deliver the event again after `seconds` (clamped to Forge's 1–900 s). */
export function retryLater(seconds: number): InvocationError {
  return new InvocationError({
    retryAfter: Math.min(900, Math.max(1, Math.ceil(seconds))),
    retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  });
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
