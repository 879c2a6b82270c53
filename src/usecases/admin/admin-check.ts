/**
 * Whether the caller of an admin resolver is a Jira administrator. Asking Jira
 * (`GET /mypermissions?permissions=ADMINISTER`, as the caller) on every call is what Jira's points
 * quota punishes most (developers report it as one of the most expensive reads), and the admin page
 * makes several calls per view. A yes is therefore remembered per account for
 * ADMIN_CHECK_TTL_SECONDS: an admin whose permission is revoked keeps using the page for at most
 * that long. A no is never remembered, so a new admin gets in at once. Without an account id
 * (should not happen for a resolver) Jira is asked every time.
 */

export const ADMIN_CHECK_TTL_SECONDS = 300;

export type AdminCheckDeps = {
  cache: { get(name: string): Promise<unknown>; put(name: string, value: unknown, ttlSeconds: number): Promise<void> };
  askJira: () => Promise<boolean>;
  now: () => Date;
};

export async function isJiraAdmin(accountId: string | undefined, deps: AdminCheckDeps): Promise<boolean> {
  if (!accountId) return deps.askJira();
  const name = `admin-check:${accountId}`;
  const cached = (await deps.cache.get(name)) as { admin?: unknown; until?: unknown } | undefined;
  // The TTL is also checked here: KVS expires keys lazily.
  if (cached?.admin === true && typeof cached.until === 'string' && Date.parse(cached.until) > deps.now().getTime())
    return true;
  const admin = await deps.askJira();
  if (admin) {
    const until = new Date(deps.now().getTime() + ADMIN_CHECK_TTL_SECONDS * 1000).toISOString();
    await deps.cache.put(name, { admin: true, until }, ADMIN_CHECK_TTL_SECONDS);
  }
  return admin;
}
