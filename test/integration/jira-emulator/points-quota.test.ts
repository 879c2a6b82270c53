import { MYPERMISSIONS_POINTS, SEARCH_INDEX_LAG_MAX_MS, parseJiraFaultFlags } from '../../../sandbox/jira';
import { buildKit, createIssue } from './jira-test-kit';

describe('Jira emulator: the hourly points quota (on by default)', () => {
  it('charges a base point per call plus a point per object read; writes cost the base', async () => {
    const kit = buildKit();
    const created = await createIssue(kit); // write: 1
    await createIssue(kit, { summary: 'Second' }); // write: 1
    expect(kit.emulator.counters.points).toBe(2);
    await kit.call('GET', `/rest/api/3/issue/${created.key}`); // 1 + 1 issue
    expect(kit.emulator.counters.points).toBe(4);
    kit.clock.advance(SEARCH_INDEX_LAG_MAX_MS);
    const search = await kit.call('POST', '/rest/api/3/search/jql', { jql: 'project = SEC', fields: ['key'] });
    expect(search.body.issues).toHaveLength(2);
    expect(kit.emulator.counters.points).toBe(7); // 1 + 2 issues
    await kit.call('GET', '/rest/api/3/mypermissions?permissions=ADMINISTER', undefined, kit.asAdmin);
    expect(kit.emulator.counters.points).toBe(7 + MYPERMISSIONS_POINTS); // asUser() from the app counts too
    await kit.emulator.as(kit.emulator.users.member).getIssue(created.key); // a person, not the app
    expect(kit.emulator.counters.points).toBe(7 + MYPERMISSIONS_POINTS);
    expect(kit.emulator.counters.pointsByOperation()['POST /rest/api/3/issue']).toBe(2);
    expect(search.headers['beta-ratelimit-policy']).toBe('"global-app-quota";q=65000;w=3600');
    expect(search.headers['beta-ratelimit']).toMatch(/^"global-app-quota";r=64993;t=\d+$/);
  });

  it('answers 429 with Jira quota headers once the hour is spent, until the top of the next hour', async () => {
    const kit = buildKit();
    kit.emulator.faults.set({ pointsPerHour: 5 });
    kit.clock.advance(25 * 60_000); // 09:25
    // 2 points each (a base point and the user read); the call that crosses the quota still passes
    for (let i = 0; i < 3; i++) expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(200);
    const limited = await kit.call('GET', '/rest/api/3/myself');
    expect(limited.status).toBe(429);
    expect(limited.headers).toEqual(
      expect.objectContaining({
        'retry-after': String(35 * 60),
        'ratelimit-reason': 'jira-quota-global-based',
        'x-ratelimit-reset': '2026-01-15T10:00:00.000Z',
        'beta-ratelimit': `"global-app-quota";r=0;t=${35 * 60}`,
      }),
    );
    expect((await createIssue(kit).catch((e: Error) => e)) instanceof Error).toBe(true); // writes too
    expect(kit.emulator.faults.quota.remaining()).toBe(0);
    kit.clock.advance(35 * 60_000 - 1);
    expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(429);
    kit.clock.advance(1);
    expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(200);
    expect(kit.emulator.counters.rateLimited).toBe(3);
  });

  it('names the tenant tier when asked, and can be switched off by flags', async () => {
    const kit = buildKit();
    kit.emulator.faults.set({ pointsPerHour: 1, quotaTier: 'tenant' });
    await kit.call('GET', '/rest/api/3/myself');
    const limited = await kit.call('GET', '/rest/api/3/myself');
    expect(limited.headers['ratelimit-reason']).toBe('jira-quota-tenant-based');
    expect(limited.headers['beta-ratelimit-policy']).toBe('"tenant-app-quota";q=1;w=3600');
    expect(parseJiraFaultFlags(['--jira-points-per-hour=off', '--jira-quota-tier=tenant'])).toEqual({
      ok: true,
      settings: { pointsPerHour: null, quotaTier: 'tenant' },
    });
    expect(parseJiraFaultFlags(['--jira-search-lag-ms=0'])).toEqual({
      ok: true,
      settings: { searchIndexLag: { kind: 'fixed', ms: 0 } },
    });
    expect(parseJiraFaultFlags(['--jira-points-per-hour=-3']).ok).toBe(false);
  });
});
