import {
  ADMIN_CHECK_QUOTA_GRACE_SECONDS,
  ADMIN_CHECK_TTL_SECONDS,
  checkJiraAdmin,
  type AdminAnswer,
} from '../../src/usecases/admin/admin-check';

const QUOTA_RESET = new Date(Date.UTC(2026, 2, 2, 15, 0, 0));
const QUOTA: AdminAnswer = { kind: 'quota-spent', resetAt: QUOTA_RESET, limitReason: 'jira-quota-tenant-based' };
const YES: AdminAnswer = { kind: 'yes' };
const NO: AdminAnswer = { kind: 'no' };

function harness(answers: AdminAnswer[]) {
  const store = new Map<string, unknown>();
  const pauses: Array<{ until: string; since: string; reason: string }> = [];
  let now = Date.UTC(2026, 2, 2, 14, 0, 0);
  let asked = 0;
  const deps = {
    cache: {
      get: async (name: string) => store.get(name),
      put: async (name: string, value: unknown) => void store.set(name, value),
      delete: async (name: string) => void store.delete(name),
    },
    askJira: async () => answers[asked++] ?? NO,
    pause: async (pause: { until: string; since: string; reason: string }) => void pauses.push(pause),
    now: () => new Date(now),
  };
  return { deps, pauses, asked: () => asked, advance: (ms: number) => (now += ms) };
}

describe('admin check cache', () => {
  it('remembers a yes for at most the TTL: a revoked admin is refused after it', async () => {
    const h = harness([YES, NO]);
    expect(await checkJiraAdmin('acc-1', 'write', h.deps)).toEqual({ allowed: true, via: 'jira' });
    h.advance(ADMIN_CHECK_TTL_SECONDS * 1000 - 1);
    expect(await checkJiraAdmin('acc-1', 'write', h.deps)).toEqual({ allowed: true, via: 'remembered' });
    expect(h.asked()).toBe(1);
    h.advance(1); // even if KVS has not dropped the key yet
    expect(await checkJiraAdmin('acc-1', 'read', h.deps)).toEqual({ allowed: false, reason: 'not-admin' });
    expect(h.asked()).toBe(2);
  });

  it('never remembers a no, keeps accounts apart, and asks every time without an account', async () => {
    const h = harness([NO, YES, YES, YES]);
    expect((await checkJiraAdmin('acc-2', 'read', h.deps)).allowed).toBe(false);
    expect((await checkJiraAdmin('acc-2', 'read', h.deps)).allowed).toBe(true);
    expect((await checkJiraAdmin('acc-3', 'read', h.deps)).allowed).toBe(true);
    expect((await checkJiraAdmin(undefined, 'read', h.deps)).allowed).toBe(true);
    expect(h.asked()).toBe(4);
  });
});

describe('admin check while Jira hourly quota is spent', () => {
  it('a yes within the grace opens read-only calls, never writes; the spent quota pauses the sync', async () => {
    const h = harness([YES, QUOTA, QUOTA]);
    await checkJiraAdmin('acc-1', 'write', h.deps);
    h.advance(ADMIN_CHECK_QUOTA_GRACE_SECONDS * 1000 - 60_000); // the 5-minute yes has long expired
    expect(await checkJiraAdmin('acc-1', 'read', h.deps)).toEqual({ allowed: true, via: 'remembered-during-quota' });
    expect(await checkJiraAdmin('acc-1', 'write', h.deps)).toEqual({
      allowed: false,
      reason: 'quota-spent',
      resetAt: QUOTA_RESET,
      limitReason: 'jira-quota-tenant-based',
    });
    expect(h.pauses.map((p) => [p.until, p.reason])).toEqual([
      [QUOTA_RESET.toISOString(), 'jira-quota-tenant-based'],
      [QUOTA_RESET.toISOString(), 'jira-quota-tenant-based'],
    ]);
  });

  it('after the grace, or with no yes at all, the caller is refused with the reset time, not as no admin', async () => {
    const h = harness([YES, QUOTA, QUOTA]);
    await checkJiraAdmin('acc-1', 'read', h.deps);
    h.advance(ADMIN_CHECK_QUOTA_GRACE_SECONDS * 1000);
    expect(await checkJiraAdmin('acc-1', 'read', h.deps)).toMatchObject({ allowed: false, reason: 'quota-spent' });
    expect(await checkJiraAdmin('acc-new', 'read', h.deps)).toMatchObject({
      allowed: false,
      reason: 'quota-spent',
      resetAt: QUOTA_RESET,
    });
  });

  it('a no forgets the remembered yes: a revoked admin gets nothing when the quota runs out later', async () => {
    const h = harness([YES, NO, QUOTA]);
    await checkJiraAdmin('acc-1', 'read', h.deps);
    h.advance(ADMIN_CHECK_TTL_SECONDS * 1000);
    expect(await checkJiraAdmin('acc-1', 'read', h.deps)).toEqual({ allowed: false, reason: 'not-admin' });
    expect(await checkJiraAdmin('acc-1', 'read', h.deps)).toMatchObject({ allowed: false, reason: 'quota-spent' });
  });

  it('a quota answer is never a yes without an earlier one, even for an account-less call', async () => {
    const h = harness([QUOTA]);
    expect(await checkJiraAdmin(undefined, 'read', h.deps)).toMatchObject({ allowed: false, reason: 'quota-spent' });
  });
});
