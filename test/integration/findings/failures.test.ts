import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import {
  batch,
  createFindingsSandbox,
  deadLetters,
  findingIdsOf,
  jiraIssues,
  postFindings,
  quietAppLogs,
  totals,
} from './findings-sandbox';

describe('transient and permanent failures', () => {
  beforeAll(quietAppLogs);

  it('a 429 storm longer than Forge retries an event: each finding synced exactly once, Retry-After kept', async () => {
    const sandbox = await createFindingsSandbox();
    const findings = Array.from({ length: 120 }, (_, i) =>
      buildFinding({ id: `storm-${i}`, asset: { id: 'web', name: i % 2 ? 'web-shop' : 'infra-net' } }),
    );
    // Per-second bursts: each chunk waits and retries on its own (a spent hourly quota pauses the whole sync instead).
    sandbox.jira.faults.inject({ status: 429, retryAfterSeconds: 30, times: 14, reason: 'jira-burst-based' });
    sandbox.jira.faults.inject({
      status: 503,
      retryAfterSeconds: 7,
      operation: 'POST /rest/api/3/issue/bulk',
      times: 2,
    });
    expect((await postFindings(sandbox, batch(findings))).json).toMatchObject({ accepted: 120 });
    await sandbox.settle();

    const ids = findingIdsOf(await jiraIssues(sandbox));
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(sandbox.jira.faults.pending()).toBe(0);
    expect(sandbox.jira.counters.rateLimited).toBeGreaterThanOrEqual(14);
    const retries = sandbox.queues.deliveries.filter((d) => d.outcome === 'retry');
    expect(retries.length).toBeGreaterThan(4);
    expect(sandbox.queues.failed).toEqual([]);
    // Each retry waited at least what Jira asked for.
    for (const retry of retries) {
      const next = sandbox.queues.deliveries.find(
        (d) => d.eventId === retry.eventId && d.attempt === retry.attempt + 1,
      );
      if (next) expect(next.at - retry.at).toBeGreaterThanOrEqual(7_000);
    }
    expect(await deadLetters(sandbox)).toEqual([]);
    expect(await totals(sandbox)).toMatchObject({ created: 120, failed: 0 });
  });

  it('a required custom field missing on one finding: a dead letter with Jira field errors; 49 created', async () => {
    const sandbox = await createFindingsSandbox({
      config: buildSyncConfig({
        mappings: [],
        defaultMapping: { projectKey: 'COMP', issueTypeName: 'Task' },
        fieldMappings: [
          { source: 'attributes.control', fieldId: 'customfield_10050' },
          { source: 'attributes.auditDue', fieldId: 'customfield_10051' },
          { source: 'cvss.score', fieldId: 'customfield_10042' },
        ],
      }),
    });
    const findings = Array.from({ length: 50 }, (_, i) =>
      buildFinding({
        id: `comp-${i}`,
        attributes: i === 17 ? { auditDue: '2025-01-31' } : { control: 'SOC 2 CC7.1', auditDue: '2025-01-31' },
      }),
    );
    expect((await postFindings(sandbox, batch(findings))).json).toMatchObject({ accepted: 50 });
    await sandbox.settle();

    const issues = await jiraIssues(sandbox);
    expect(issues).toHaveLength(49);
    expect(findingIdsOf(issues)).not.toContain('comp-17');
    expect(sandbox.jira.counters.byOperation()['POST /rest/api/3/issue/bulk']).toBe(1);
    const letters = await deadLetters(sandbox);
    expect(letters).toEqual([
      expect.objectContaining({
        findingId: 'comp-17',
        stage: 'create',
        status: 400,
        fieldErrors: { customfield_10050: expect.any(String) },
        reason: 'Jira refused the issue (400) because of field(s) customfield_10050',
        finding: expect.objectContaining({ id: 'comp-17' }),
      }),
    ]);
    const created = issues[0]!;
    expect(created.key).toMatch(/^COMP-/);
    expect(await totals(sandbox)).toMatchObject({ created: 49, failed: 1 });

    // The platform fixes the finding and re-posts it: the dead letter is retried.
    await postFindings(
      sandbox,
      batch([{ ...findings[17]!, attributes: { control: 'ISO 27001 A.8.8', auditDue: '2025-01-31' } }]),
    );
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(50);
    expect(await deadLetters(sandbox)).toEqual([]);
  });
});
