import { parseJiraFaultFlags } from '../../../sandbox/jira';
import { buildIssueFields, buildKit, createIssue } from './jira-test-kit';

describe('Jira emulator: fault injection and rate limits', () => {
  it('injects a 429 with Retry-After and X-RateLimit-* headers for the next matching call only', async () => {
    const kit = buildKit();
    kit.emulator.faults.inject({ status: 429, retryAfterSeconds: 7, operation: 'POST /rest/api/3/issue/bulk' });
    expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(200);
    const limited = await kit.call('POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [{ fields: buildIssueFields() }],
    });
    expect(limited.status).toBe(429);
    expect(limited.headers).toEqual(
      expect.objectContaining({
        'retry-after': '7',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-limit': expect.any(String),
        'x-ratelimit-reset': expect.any(String),
      }),
    );
    expect(kit.emulator.snapshot().issues).toHaveLength(0);
    expect(
      (await kit.call('POST', '/rest/api/3/issue/bulk', { issueUpdates: [{ fields: buildIssueFields() }] })).status,
    ).toBe(201);
    expect(kit.emulator.faults.pending()).toBe(0);
  });

  it.each([500, 502, 504] as const)('injects a %i', async (status) => {
    const kit = buildKit();
    kit.emulator.faults.inject({ status, times: 2 });
    expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(status);
    expect((await kit.call('GET', '/rest/api/3/serverInfo')).status).toBe(status);
    expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(200);
  });

  it('injects a 503 with Retry-After', async () => {
    const kit = buildKit();
    kit.emulator.faults.inject({ status: 503, retryAfterSeconds: 30 });
    const res = await kit.call('POST', '/rest/api/3/issue', { fields: buildIssueFields() });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(kit.events).toEqual([]);
  });

  it('models a per-second burst limit per operation', async () => {
    const kit = buildKit();
    kit.emulator.faults.set({ burstLimitPerSecond: 2 });
    expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(200);
    expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(200);
    const third = await kit.call('GET', '/rest/api/3/myself');
    expect(third.status).toBe(429);
    expect(third.headers['ratelimit-reason']).toBe('jira-burst-based');
    expect((await kit.call('GET', '/rest/api/3/serverInfo')).status).toBe(200); // other endpoint, own budget
    kit.clock.advance(1001);
    expect((await kit.call('GET', '/rest/api/3/myself')).status).toBe(200);
  });

  it('models the per-issue write limit (20 writes per 2 s by default)', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    const other = await createIssue(kit);
    for (let i = 0; i < 20; i++)
      expect((await kit.call('PUT', `/rest/api/3/issue/${key}`, { fields: { summary: `edit ${i}` } })).status).toBe(
        204,
      );
    const limited = await kit.call('PUT', `/rest/api/3/issue/${key}`, { fields: { summary: 'one too many' } });
    expect(limited.status).toBe(429);
    expect(limited.headers['ratelimit-reason']).toBe('jira-per-issue-on-write');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await kit.call('PUT', `/rest/api/3/issue/${other.key}`, { fields: { summary: 'fine' } })).status).toBe(204);
    kit.clock.advance(2001);
    expect((await kit.call('PUT', `/rest/api/3/issue/${key}`, { fields: { summary: 'later' } })).status).toBe(204);
  });

  it('adds latency', async () => {
    const kit = buildKit();
    kit.emulator.faults.set({ latencyMs: 60 });
    const started = Date.now();
    await kit.call('GET', '/rest/api/3/myself');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    kit.emulator.faults.reset();
    expect(kit.emulator.faults.settings.latencyMs).toBe(0);
  });

  it('parses npm start flags with clear errors', () => {
    expect(
      parseJiraFaultFlags(['--jira-latency-ms=250', '--jira-burst-limit=10', '--jira-per-issue-limit=off', '--other']),
    ).toEqual({
      ok: true,
      settings: { latencyMs: 250, burstLimitPerSecond: 10, perIssueWriteLimits: [] },
    });
    expect(parseJiraFaultFlags(['--jira-latency-ms=-1'])).toEqual({
      ok: false,
      error: expect.stringContaining('latencyMs'),
    });
    expect(parseJiraFaultFlags(['--jira-typo=1'])).toEqual({
      ok: false,
      error: expect.stringContaining('--jira-typo'),
    });
  });
});

describe('Jira emulator: call counters', () => {
  it('counts calls per operation, reads and writes, and resets', async () => {
    const kit = buildKit();
    await kit.call('POST', '/rest/api/3/issue/bulk', { issueUpdates: [{ fields: buildIssueFields() }] });
    await kit.call('POST', '/rest/api/3/issue/bulk', { issueUpdates: [{ fields: buildIssueFields() }] });
    await kit.call('GET', '/rest/api/3/issue/SEC-1');
    await kit.call('POST', '/rest/api/3/search/jql', { jql: 'project = SEC' });
    await kit.call('GET', '/rest/api/3/issue/SEC-404');
    const c = kit.emulator.counters;
    expect(c.byOperation()).toEqual({
      'POST /rest/api/3/issue/bulk': 2,
      'GET /rest/api/3/issue/{issueIdOrKey}': 2,
      'POST /rest/api/3/search/jql': 1,
    });
    expect(c.get('POST /rest/api/3/issue/bulk')).toBe(2);
    expect([c.reads, c.writes, c.total]).toEqual([3, 2, 5]);
    c.reset();
    expect(c.total).toBe(0);
    expect(c.byOperation()).toEqual({});
  });

  it('counts rate-limited calls', async () => {
    const kit = buildKit();
    kit.emulator.faults.inject({ status: 429 });
    await kit.call('GET', '/rest/api/3/myself');
    expect(kit.emulator.counters.rateLimited).toBe(1);
  });
});
