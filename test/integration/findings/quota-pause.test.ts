import { buildFinding } from '../../builders/finding';
import {
  batch,
  createFindingsSandbox,
  deadLetters,
  findingIdsOf,
  invokeConsumer,
  jiraIssues,
  pendingSyncEvents,
  postFindings,
  quietAppLogs,
  totals,
} from './findings-sandbox';

/**
 * Jira's hourly points quota spent mid-import: the chunk that meets it records "paused until <reset>", every other
 * chunk waits for the reset without calling Jira or spending a retry, the Health tab says why, and after the reset
 * the import finishes exactly once.
 */

type HealthAnswer = {
  ok: boolean;
  data: { jiraQuotaPause: { until: string; since: string; reason: string } | null; problemsUnavailable: string | null };
};

describe('Jira hourly points quota', () => {
  beforeAll(quietAppLogs);

  it('spent mid-import: the sync pauses until the reset, Health says why, then finishes once', async () => {
    const sandbox = await createFindingsSandbox();
    const admin = sandbox.jira.users.admin;
    const health = async () => (await sandbox.callResolver('health/get', {}, { accountId: admin })) as HealthAnswer;
    expect((await health()).data.jiraQuotaPause).toBeNull(); // (the admin's yes is remembered from here on)

    const findings = Array.from({ length: 150 }, (_, i) =>
      buildFinding({ id: `quota-${i}`, asset: { id: 'web', name: 'web-shop' } }),
    );
    expect((await postFindings(sandbox, batch(findings))).json).toMatchObject({ accepted: 150 });
    const [first, second, third] = pendingSyncEvents(sandbox);
    expect(third).toBeDefined();
    await invokeConsumer(sandbox, first);
    expect(await jiraIssues(sandbox)).toHaveLength(50);

    // The hour's points are gone: the next chunk meets the 429 and pauses the sync.
    sandbox.jira.faults.set({ pointsPerHour: sandbox.jira.faults.quota.usedThisHour() });
    const resetAt = new Date(sandbox.jira.faults.quota.resetAt()).toISOString();
    expect(await invokeConsumer(sandbox, second)).toBeUndefined(); // no InvocationError: no retry spent
    const limited = sandbox.jira.counters.rateLimited;
    expect(limited).toBe(1);
    const paused = await health();
    expect(paused.data.jiraQuotaPause).toMatchObject({ until: resetAt, reason: 'jira-quota-global-based' });
    expect(paused.data.problemsUnavailable).toMatch(/quota/); // and Health spends no points asking Jira

    // Another chunk reads the pause first: it waits without asking Jira.
    const jiraCalls = sandbox.jira.counters.total;
    expect(await invokeConsumer(sandbox, third)).toBeUndefined();
    expect(sandbox.jira.counters.total).toBe(jiraCalls);
    const waiting = pendingSyncEvents(sandbox).length;
    expect(waiting).toBeGreaterThanOrEqual(2);

    // The broker jumps to the reset (≤ 900 s a hop): every chunk finishes, exactly once.
    await sandbox.settle();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(findings.map((f) => f.id).sort());
    // One bulk create per chunk, plus the one the spent quota refused (the chunk's first Jira call: cached metadata).
    expect(sandbox.jira.counters.byOperation()['POST /rest/api/3/issue/bulk']).toBe(3 + limited);
    expect(await deadLetters(sandbox)).toEqual([]);
    expect(await totals(sandbox)).toMatchObject({ created: 150, failed: 0 });
    expect(sandbox.jira.counters.rateLimited).toBe(limited); // nothing asked Jira again before the reset
    // No retry was spent while the quota was out. (At the reset the waiting chunks wake together and
    // may meet each other's lane lease: a lane-busy retry then is ordinary and timing-dependent.)
    const beforeReset = sandbox.queues.deliveries.filter((d) => d.at < Date.parse(resetAt));
    expect(beforeReset.filter((d) => d.outcome === 'retry' || d.attempt > 1)).toEqual([]);
    expect(sandbox.queues.failed).toEqual([]);
    expect((await health()).data.jiraQuotaPause).toBeNull();
  });
});
