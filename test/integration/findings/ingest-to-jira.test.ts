import { buildFinding } from '../../builders/finding';
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

describe('findings → Jira through the sandbox', () => {
  beforeAll(quietAppLogs);
  it('creates one issue per accepted finding in the routed project, with mapped fields and link property', async () => {
    const sandbox = await createFindingsSandbox();
    const findings = [
      buildFinding({
        id: 'f-1',
        asset: { id: 'a1', name: 'web-shop' },
        severity: 'critical',
        cve: ['CVE-2021-44228'],
        title: 'Log4Shell in logging',
      }),
      buildFinding({
        id: 'f-2',
        asset: { id: 'a2', name: 'infra-vpc' },
        severity: 'low',
        owner: { email: 'dana.developer@example.com' },
      }),
      buildFinding({ id: 'f/3', asset: { id: 'a3', name: 'other' }, severity: 'medium' }),
    ];
    const response = await postFindings(sandbox, batch(findings));
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ accepted: 3, duplicates: 0, rejected: [] });
    await sandbox.settle();

    const issues = await jiraIssues(sandbox);
    expect(findingIdsOf(issues)).toEqual(['f-1', 'f-2', 'f/3']);
    const byFinding = new Map(
      issues.map((i) => [(i.properties?.['findingSyncLink'] as { findingId: string }).findingId, i]),
    );
    const log4 = byFinding.get('f-1')!;
    expect(log4.key).toMatch(/^SEC-/);
    expect(log4.fields['summary']).toBe('CVE-2021-44228: Log4Shell in logging in app/login.py:42');
    expect((log4.fields['priority'] as { name: string }).name).toBe('Highest');
    expect(log4.fields['labels']).toEqual(
      expect.arrayContaining(['finding-sync', 'severity-critical', 'codeql', 'appsec']),
    );
    const ops = byFinding.get('f-2')!;
    expect(ops.key).toMatch(/^OPS-/);
    expect((ops.fields['assignee'] as { accountId: string } | null)?.accountId).toBe(sandbox.jira.users.developer);
    expect(byFinding.get('f/3')!.key).toMatch(/^SEC-/);
    expect(await deadLetters(sandbox)).toEqual([]);
    expect(await totals(sandbox)).toMatchObject({ accepted: 3, created: 3 });
  });
});
