/**
 * When to try a callback again, and when to give up. Exponential backoff with jitter (each wait is
 * between half and all of `base · 2^(attempt-1)`, capped), never shorter than the platform's
 * `Retry-After`; after `deadlineSeconds` without success the callback becomes a dead letter.
 *
 * Elapsed time is the larger of the wall clock since the callback was written and the sum of the
 * waits already scheduled: on Forge both agree (queue delays are honoured); in the offline
 * sandbox, whose queue clock jumps over waits, the second keeps the deadline meaningful.
 * Pure: the caller passes `now` and the random number.
 */

export const CALLBACK_BASE_BACKOFF_MS = 30_000;
/** Forge's longest queue delay: a longer wait is served in hops of this size. */
export const CALLBACK_MAX_HOP_MS = 900_000;
export const CALLBACK_MAX_BACKOFF_MS = 30 * 60_000;

/** Classifies a platform answer. 408, 425, 429 and 5xx are worth retrying; other 4xx are not. */
export type DeliveryAnswer =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status?: number; retryAfterMs?: number; message: string }
  | { kind: 'rejected'; status: number; message: string };

export function classifyPlatformStatus(status: number): 'delivered' | 'retry' | 'rejected' {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

export function computeBackoffMs(attempt: number, random: number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(CALLBACK_BASE_BACKOFF_MS * 2 ** exponent, CALLBACK_MAX_BACKOFF_MS);
  const jitter = Math.min(Math.max(random, 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}

export type RetryPlan = { kind: 'retry'; delayMs: number } | { kind: 'dead'; reason: string };

export function planCallbackRetry(input: {
  /** Attempts made so far, including the one that just failed. */
  attempts: number;
  createdAtMs: number;
  waitedMs: number;
  nowMs: number;
  retryAfterMs?: number;
  deadlineSeconds: number;
  random: number;
}): RetryPlan {
  const elapsed = Math.max(input.nowMs - input.createdAtMs, input.waitedMs);
  const deadlineMs = input.deadlineSeconds * 1000;
  if (elapsed >= deadlineMs) {
    return {
      kind: 'dead',
      reason: `Not delivered within ${Math.round(input.deadlineSeconds / 60)} minutes (${input.attempts} attempts)`,
    };
  }
  const backoff = computeBackoffMs(input.attempts, input.random);
  const delayMs = Math.max(backoff, input.retryAfterMs ?? 0);
  return { kind: 'retry', delayMs: Math.min(delayMs, Math.max(deadlineMs - elapsed, 1000)) };
}
