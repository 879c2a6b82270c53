import type { Sandbox } from '../../../sandbox';
import { sandboxClock } from '../../../sandbox/runtime/clock';
import { ADMIN_CHECK_TTL_SECONDS } from '../../../src/usecases/admin/admin-check';
import { buildFinding } from '../../builders/finding';
import {
  batch,
  createFindingsSandbox,
  invokeConsumer,
  jiraIssues,
  pendingSyncEvents,
  postFindings,
  quietAppLogs,
} from '../findings/findings-sandbox';

/**
 * Jira's hourly points quota spent and the admin's remembered yes expired: Jira answers the permission check
 * (`GET /mypermissions`, as the caller) with a quota 429. The admin page must still show Health — why the sync waits
 * and until when — without granting anything on an error: a yes Jira gave earlier opens the read-only resolvers,
 * every change needs a fresh yes, and a caller Jira never confirmed is told about the quota, not that they are no
 * admin. Uses the emulator's own quota (its 429s and headers), not an injected fault.
 */

type Answer = {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string; details?: unknown };
};

const HOUR = 3_600_000;

describe('admin page while Jira hourly quota is spent', () => {
  let sandbox: Sandbox;
  const call = (key: string, payload: unknown, accountId: string) =>
    sandbox.callResolver(key, payload, { accountId }) as Promise<Answer>;

  beforeAll(async () => {
    quietAppLogs();
    // Start a minute into a fresh quota hour, so the waits below stay inside it.
    sandboxClock.advance(HOUR - (Date.now() % HOUR) + 60_000);
    sandbox = await createFindingsSandbox();
  });
  afterAll(async () => sandbox.close());

  it('a confirmed admin still sees Health and the reset time; nothing changes; a stranger is told why', async () => {
    const { admin, member } = sandbox.jira.users;
    expect((await call('config/get', {}, admin)).ok).toBe(true); // Jira says yes (remembered for 5 minutes)
    expect((await call('config/get', {}, member)).error?.code).toBe('FORBIDDEN');

    // Later in the hour the app has spent the rest of its points (the emulator's default quota, 65,000 an hour).
    sandboxClock.advance(ADMIN_CHECK_TTL_SECONDS * 1000 + 60_000);
    sandbox.jira.faults.quota.charge(sandbox.jira.faults.quota.remaining());
    const resetAt = new Date(sandbox.jira.faults.quota.resetAt()).toISOString();
    const limited = sandbox.jira.counters.rateLimited;

    const health = await call('health/get', {}, admin);
    expect(health.ok).toBe(true);
    expect(health.data?.['jiraQuotaPause']).toMatchObject({ until: resetAt, reason: 'jira-quota-global-based' });
    expect(health.data?.['problemsUnavailable']).toMatch(/quota/);
    expect(sandbox.jira.counters.rateLimited).toBe(limited + 1); // the permission check met the quota, nothing else
    for (const key of ['config/get', 'callbacks/health', 'dead-letters/list', 'callbacks/list-dead', 'scans/held'])
      expect([key, (await call(key, {}, admin)).ok]).toEqual([key, true]);

    // A change needs a fresh yes: refused with the reset time, nothing saved.
    const loaded = await call('config/get', {}, admin);
    const save = await call(
      'config/save',
      { revision: loaded.data?.['revision'], config: loaded.data?.['config'] },
      admin,
    );
    expect(save.error).toMatchObject({
      code: 'QUOTA_EXHAUSTED',
      details: { until: resetAt, reason: 'jira-quota-global-based' },
    });
    expect(save.error?.message).toContain(`used up until ${resetAt.slice(11, 16)} UTC`);
    expect((await call('config/get', {}, admin)).data?.['revision']).toBe(loaded.data?.['revision']);

    // Someone Jira never confirmed learns about the quota, is not called a non-admin, and sees nothing.
    const stranger = await call('health/get', {}, member);
    expect(stranger).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'QUOTA_EXHAUSTED',
        details: { until: resetAt, reason: 'jira-quota-global-based' },
      }),
    });

    // The quota is the app's: the sync, told by the page's check, waits for the reset without asking Jira.
    const findings = Array.from({ length: 3 }, (_, i) =>
      buildFinding({ id: `q-${i}`, asset: { id: 'web', name: 'web-shop' } }),
    );
    expect((await postFindings(sandbox, batch(findings))).json).toMatchObject({ accepted: 3 });
    const jiraCalls = sandbox.jira.counters.total;
    const [chunk] = pendingSyncEvents(sandbox);
    expect(await invokeConsumer(sandbox, chunk!)).toBeUndefined();
    expect(sandbox.jira.counters.total).toBe(jiraCalls);

    // After the reset Jira answers again: the stranger is refused as a non-admin, the admin may change things.
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(3);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(resetAt));
    expect((await call('health/get', {}, member)).error?.code).toBe('FORBIDDEN');
    const after = await call('config/get', {}, admin);
    const saved = await call(
      'config/save',
      { revision: after.data?.['revision'], config: after.data?.['config'] },
      admin,
    );
    expect(saved).toMatchObject({ ok: true });
    expect((await call('health/get', {}, admin)).data?.['jiraQuotaPause']).toBeNull();
  });
});
