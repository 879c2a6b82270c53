/**
 * The small error family the inner layers understand. Adapters (jira/, storage/) throw these;
 * each transport translates them once (web trigger → HTTP status, consumer → InvocationError or
 * dead letter).
 */

/** Jira answered with a 4xx other than 429: the request itself is wrong and retrying will not help. */
export class JiraApiError extends Error {
  constructor(
    readonly status: number,
    /** Field id → Jira's (localised) message. Key on the field id, never on the text. */
    readonly errors: Record<string, string>,
    readonly errorMessages: string[],
    readonly operation: string,
  ) {
    const fieldMessages = Object.keys(errors).map((field) => `${field}: ${errors[field]}`);
    super(`${operation} failed with ${status}: ${[...errorMessages, ...fieldMessages].join('; ') || 'no details'}`);
    this.name = 'JiraApiError';
  }
}

/**
 * A failure worth retrying later: 429, 5xx, a network error, a busy lane, a KVS quota, a queue push refused (rate,
 * the event chain's limit, partial success).
 */
export class TransientError extends Error {
  constructor(
    message: string,
    /** How long to wait before retrying (from Retry-After when there was one). */
    readonly retryAfterMs: number,
    readonly reason:
      | 'rate-limited'
      | 'upstream-unavailable'
      | 'lane-busy'
      | 'storage-rate-limited'
      /** A pending mark younger than Jira's search index lag: an empty search proves nothing yet. */
      | 'search-index-lag'
      /** Jira's hourly points quota for the app is spent: the whole sync pauses until its reset. */
      | 'jira-quota'
      /** A queue push refused: rate, the event chain's limit, a partial success. */
      | 'queue-refused',
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

export class RateLimitedError extends TransientError {
  constructor(message: string, retryAfterMs: number) {
    super(message, retryAfterMs, 'rate-limited');
    this.name = 'RateLimitedError';
  }
}

/**
 * Jira's hourly points quota for this app is used up (a 429 whose `RateLimit-Reason` is `jira-quota-*`): every
 * call fails until `resetAt`, so the whole sync pauses rather than each chunk retrying on its own.
 */
export class QuotaExhaustedError extends TransientError {
  constructor(
    message: string,
    readonly resetAt: Date,
    /** Jira's `RateLimit-Reason`, e.g. `jira-quota-tenant-based`. */
    readonly limitReason: string,
    now: Date,
  ) {
    super(message, Math.max(1_000, resetAt.getTime() - now.getTime()), 'jira-quota');
    this.name = 'QuotaExhaustedError';
  }
}

/** A conditional storage write lost: the key already exists (`FAIL_IF_EXISTS`) or a transaction condition failed. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}
