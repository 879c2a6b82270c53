/**
 * Expiring records decided by a timestamp inside the value, not by the key's TTL: Forge documents TTL but not how
 * promptly an expired key disappears, so a key may outlive its TTL. The TTL only garbage-collects.
 *
 * A lease is `{ token, expiresAt }`. KVS has no compare-and-swap on a plain value, so every change of a stored lease
 * value `(token, expiresAt)` — its holder renewing or releasing it late, a waiter taking over an expired one — first
 * wins a `FAIL_IF_EXISTS` step key named after that value: of all who try to replace one value, exactly one does.
 * A fresh lease is taken with `FAIL_IF_EXISTS` on the lease key itself, which only works once the key is gone (GC).
 *
 * Assumptions (stated, not checked): invocations' clocks agree within `TAKEOVER_GRACE_MS`; a KVS or Jira request
 * takes less than `SAFE_WINDOW_MS` minus that grace.
 */

/** A holder with at least this much lease left writes without asking KVS; below it, it renews first. */
export const SAFE_WINDOW_MS = 30_000;
/** A waiter takes over a lease this long after its expiry (clock skew between invocations). */
export const TAKEOVER_GRACE_MS = 5_000;
/** The key outlives its lease by this much (TTL = lease left + this): its garbage collection. */
export const LEASE_GC_SECONDS = 600;
/**
 * No value is replaced later than this after its expiry: the key may be gone soon after (GC), and a lease taken
 * afresh must never be overwritten by a step decided on the old value.
 */
export const STEP_CUTOFF_MS = (LEASE_GC_SECONDS - 60) * 1000;

/** What the holder of a lease expiring at `expiresAt` may do at `now`. */
export function holderVerdict(expiresAt: Date, now: Date): 'safe' | 'renew' | 'lost' {
  const left = expiresAt.getTime() - now.getTime();
  if (left >= SAFE_WINDOW_MS) return 'safe';
  return -left < STEP_CUTOFF_MS ? 'renew' : 'lost';
}

/** What someone who found a lease expiring at `expiresAt` may do at `now`. */
export function waiterVerdict(expiresAt: Date, now: Date): 'held' | 'take-over' | 'wait-for-removal' {
  const since = now.getTime() - expiresAt.getTime();
  if (since < TAKEOVER_GRACE_MS) return 'held';
  return since < STEP_CUTOFF_MS ? 'take-over' : 'wait-for-removal';
}

/** TTL (whole seconds) for a key whose value lives until `expiresAt`: the value's life plus the GC margin. */
export function ttlSecondsFor(expiresAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000)) + LEASE_GC_SECONDS;
}

/** True while a record stamped to expire at `expiresAt` (ISO 8601) is live at `now`; a bad stamp is not live. */
export function isLive(expiresAt: string, now: Date): boolean {
  const at = Date.parse(expiresAt);
  return Number.isFinite(at) && at > now.getTime();
}
