/**
 * Whether the caller of an admin resolver is a Jira administrator. Asking Jira
 * (`GET /mypermissions?permissions=ADMINISTER`, as the caller) on every call is what Jira's points
 * quota punishes most (developers report it as one of the most expensive reads), and the admin page
 * makes several calls per view. A yes is therefore remembered per account for
 * ADMIN_CHECK_TTL_SECONDS: an admin whose permission is revoked keeps using the page for at most
 * that long. A no is never remembered (and forgets a remembered yes), so a new admin gets in at once.
 * Without an account id (should not happen for a resolver) Jira is asked every time.
 *
 * When Jira's hourly points quota for the app is spent, Jira answers the permission check with a 429 until its
 * reset (up to an hour away), and the admin would lose the Health tab exactly when it explains the wait. The check
 * never grants on an error, but it can rely on an earlier answer: a yes Jira gave within
 * ADMIN_CHECK_QUOTA_GRACE_SECONDS still opens the read-only resolvers (settings, Health) while the quota is spent;
 * everything that changes something needs a fresh yes. Without such a yes the caller is refused with the quota's
 * reset time, never told they are not an admin. The spent quota is recorded as the sync's pause, as the sync itself
 * would on meeting it: the quota is the app's, not the page's.
 */

export const ADMIN_CHECK_TTL_SECONDS = 300;
/** How long a yes stays usable for read-only calls while Jira's quota is spent (a working day). */
export const ADMIN_CHECK_QUOTA_GRACE_SECONDS = 24 * 3600;

/** Jira's answer to "is the caller an admin?": yes, no, or no answer because the app's hourly quota is spent. */
export type AdminAnswer =
  { kind: 'yes' } | { kind: 'no' } | { kind: 'quota-spent'; resetAt: Date; limitReason: string };

export type AdminVerdict =
  | { allowed: true; via: 'jira' | 'remembered' | 'remembered-during-quota' }
  | { allowed: false; reason: 'not-admin' }
  | { allowed: false; reason: 'quota-spent'; resetAt: Date; limitReason: string };

export type AdminCheckDeps = {
  cache: {
    get(name: string): Promise<unknown>;
    put(name: string, value: unknown, ttlSeconds: number): Promise<void>;
    delete(name: string): Promise<void>;
  };
  askJira: () => Promise<AdminAnswer>;
  /** Records the spent quota as the sync's pause (the Health tab shows it; waiting chunks do not ask Jira). */
  pause: (pause: { until: string; since: string; reason: string }) => Promise<void>;
  now: () => Date;
};

/** `read`: a call that only shows what is stored; `write`: anything else (needs a fresh yes). */
export type AdminAccess = 'read' | 'write';

function timeOf(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

export async function checkJiraAdmin(
  accountId: string | undefined,
  access: AdminAccess,
  deps: AdminCheckDeps,
): Promise<AdminVerdict> {
  const name = accountId ? `admin-check:${accountId}` : undefined;
  const cached = name
    ? ((await deps.cache.get(name)) as { admin?: unknown; until?: unknown; confirmedAt?: unknown } | undefined)
    : undefined;
  const now = deps.now().getTime();
  // The times are also checked here: KVS expires keys lazily.
  if (cached?.admin === true && timeOf(cached.until) > now) return { allowed: true, via: 'remembered' };
  const answer = await deps.askJira();
  if (answer.kind === 'yes') {
    if (name) {
      const value = {
        admin: true,
        until: new Date(now + ADMIN_CHECK_TTL_SECONDS * 1000).toISOString(),
        confirmedAt: new Date(now).toISOString(),
      };
      await deps.cache.put(name, value, ADMIN_CHECK_QUOTA_GRACE_SECONDS);
    }
    return { allowed: true, via: 'jira' };
  }
  if (answer.kind === 'no') {
    if (name && cached !== undefined) await deps.cache.delete(name);
    return { allowed: false, reason: 'not-admin' };
  }
  await deps.pause({
    until: answer.resetAt.toISOString(),
    since: new Date(now).toISOString(),
    reason: answer.limitReason,
  });
  const confirmedAt = timeOf(cached?.confirmedAt);
  if (access === 'read' && cached?.admin === true && now - confirmedAt < ADMIN_CHECK_QUOTA_GRACE_SECONDS * 1000)
    return { allowed: true, via: 'remembered-during-quota' };
  return { allowed: false, reason: 'quota-spent', resetAt: answer.resetAt, limitReason: answer.limitReason };
}
