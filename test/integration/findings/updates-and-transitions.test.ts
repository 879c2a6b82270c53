import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import type { Finding } from '../../../src/domain/finding';
import { computeFindingKey } from '../../../src/domain/finding-state';
import {
  batch,
  createFindingsSandbox,
  deadLetters,
  findingStates,
  jiraIssues,
  postFindings,
  quietAppLogs,
  setConfig,
  totals,
} from './findings-sandbox';

async function issueOf(sandbox: Awaited<ReturnType<typeof createFindingsSandbox>>, findingId: string) {
  const issue = (await jiraIssues(sandbox)).find(
    (i) => (i.properties?.['findingSyncLink'] as { findingId?: string } | undefined)?.findingId === findingId,
  );
  if (!issue) throw new Error(`no issue for ${findingId}`);
  return issue;
}

describe('updates, ownership and status changes', () => {
  beforeAll(quietAppLogs);

  it('re-posting unchanged findings costs zero Jira writes and is counted as duplicates', async () => {
    const sandbox = await createFindingsSandbox();
    const findings = Array.from({ length: 20 }, (_, i) =>
      buildFinding({ id: `same-${i}`, asset: { id: 'web', name: 'web-shop' } }),
    );
    await postFindings(sandbox, batch(findings));
    await sandbox.settle();
    const writes = sandbox.jira.counters.writes;
    const calls = sandbox.jira.counters.total;
    const response = await postFindings(
      sandbox,
      batch(findings.map((f) => ({ ...f, updatedAt: '2024-06-01T00:00:00Z' }))),
    );
    expect(response.json).toMatchObject({ accepted: 0, duplicates: 20 });
    await sandbox.settle();
    expect(sandbox.jira.counters.writes).toBe(writes);
    expect(sandbox.jira.counters.total).toBe(calls);
  });

  it('edits only changed platform-owned fields; Jira keeps priority and assignee; older versions ignored', async () => {
    const sandbox = await createFindingsSandbox();
    const original = buildFinding({
      id: 'upd-1',
      asset: { id: 'web', name: 'web-shop' },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    await postFindings(sandbox, batch([original]));
    await sandbox.settle();
    const created = await issueOf(sandbox, 'upd-1');
    // A person changes the priority in Jira: Jira owns it after creation.
    await sandbox.jira.as(sandbox.jira.users.admin).edit(created.key, { priority: { name: 'Low' } });

    const before = sandbox.jira.counters.byOperation();
    const changed: Finding = {
      ...original,
      title: 'SQL injection in login form (confirmed)',
      severity: 'critical',
      updatedAt: '2024-05-02T00:00:00Z',
    };
    expect((await postFindings(sandbox, batch([changed]))).json).toMatchObject({ accepted: 1 });
    await sandbox.settle();
    const after = sandbox.jira.counters.byOperation();
    expect(
      (after['PUT /rest/api/3/issue/{issueIdOrKey}'] ?? 0) - (before['PUT /rest/api/3/issue/{issueIdOrKey}'] ?? 0),
    ).toBe(1);
    const updated = await issueOf(sandbox, 'upd-1');
    expect(updated.fields['summary']).toBe('SQL injection in login form (confirmed) in app/login.py:42');
    expect(updated.fields['labels']).toEqual(expect.arrayContaining(['severity-critical']));
    expect((updated.fields['priority'] as { name: string }).name).toBe('Low');

    const older: Finding = { ...original, title: 'An older title', updatedAt: '2024-04-01T00:00:00Z' };
    expect((await postFindings(sandbox, batch([older]))).json).toMatchObject({ accepted: 0, duplicates: 1 });
    await sandbox.settle();
    const summaryAfter = (await issueOf(sandbox, 'upd-1')).fields['summary'];
    expect(summaryAfter).toBe('SQL injection in login form (confirmed) in app/login.py:42');
  });

  it('closes an issue through a several-step workflow path with a comment, and reopens it', async () => {
    const sandbox = await createFindingsSandbox();
    const finding = buildFinding({
      id: 'close-1',
      asset: { id: 'web', name: 'web-shop' },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    await postFindings(sandbox, batch([finding]));
    await sandbox.settle();
    await postFindings(sandbox, batch([{ ...finding, status: 'false_positive', updatedAt: '2024-05-02T00:00:00Z' }]));
    await sandbox.settle();
    const closed = await issueOf(sandbox, 'close-1');
    expect((closed.fields['status'] as { name: string; statusCategory: { key: string } }).statusCategory.key).toBe(
      'done',
    );
    expect((closed.fields['status'] as { name: string }).name).toBe('Done'); // To Do → In Progress → In Review → Done
    expect(sandbox.jira.counters.byOperation()['POST /rest/api/3/issue/{issueIdOrKey}/transitions']).toBe(3);
    const comments = await sandbox.jira
      .as(sandbox.jira.users.admin)
      .request('GET', `/rest/api/3/issue/${closed.key}/comment`);
    expect(JSON.stringify(comments)).toContain('Closed by conviso: false positive');

    await postFindings(sandbox, batch([{ ...finding, status: 'reopened', updatedAt: '2024-05-03T00:00:00Z' }]));
    await sandbox.settle();
    const reopened = await issueOf(sandbox, 'close-1');
    expect((reopened.fields['status'] as { statusCategory: { key: string } }).statusCategory.key).toBe('new');
    expect(reopened.fields['resolution']).toBeNull();
  });

  it("fills the required resolution on a transition screen (OPS: Won't Fix)", async () => {
    const sandbox = await createFindingsSandbox();
    const finding = buildFinding({
      id: 'ops-1',
      asset: { id: 'vpc', name: 'infra-vpc' },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    await postFindings(sandbox, batch([finding]));
    await sandbox.settle();
    await postFindings(sandbox, batch([{ ...finding, status: 'risk_accepted', updatedAt: '2024-05-02T00:00:00Z' }]));
    await sandbox.settle();
    const issue = await issueOf(sandbox, 'ops-1');
    expect((issue.fields['status'] as { name: string }).name).toBe("Won't Fix");
    expect((issue.fields['resolution'] as { name: string }).name).toBe("Won't Do");
    expect(await deadLetters(sandbox)).toEqual([]);
  });

  it('records a dead letter when no workflow path reaches the mapped status', async () => {
    const sandbox = await createFindingsSandbox({
      config: buildSyncConfig({ statusMap: { resolved: { statusName: 'Archived' } } }),
    });
    const finding = buildFinding({
      id: 'nopath',
      asset: { id: 'web', name: 'web-shop' },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    await postFindings(sandbox, batch([finding]));
    await sandbox.settle();
    await postFindings(sandbox, batch([{ ...finding, status: 'resolved', updatedAt: '2024-05-02T00:00:00Z' }]));
    await sandbox.settle();
    expect(await deadLetters(sandbox)).toEqual([
      expect.objectContaining({
        findingId: 'nopath',
        stage: 'transition',
        reason: 'The workflow has no status matching Archived',
        issueKey: 'SEC-1',
      }),
    ]);
  });

  it('records findings below the policy as skipped and unroutable ones as unrouted, with reasons', async () => {
    const sandbox = await createFindingsSandbox({
      config: buildSyncConfig({
        autoCreate: { mode: 'severities', severities: ['critical', 'high'] },
        defaultMapping: undefined,
      }),
    });
    const findings = [
      buildFinding({ id: 'hi', severity: 'high', asset: { id: 'w', name: 'web-a' } }),
      buildFinding({ id: 'lo', severity: 'low', asset: { id: 'w', name: 'web-a' } }),
      buildFinding({ id: 'nowhere', severity: 'high', asset: { id: 'x', name: 'mainframe' } }),
      buildFinding({ id: 'done', severity: 'high', status: 'resolved', asset: { id: 'w', name: 'web-a' } }),
    ];
    await postFindings(sandbox, batch(findings));
    await sandbox.settle();
    expect((await jiraIssues(sandbox)).map((i) => i.key)).toEqual(['SEC-1']);
    const states = await findingStates(
      sandbox,
      ['lo', 'nowhere', 'done'].map((id) => computeFindingKey('conviso', id)),
    );
    expect([...states.values()].map((s) => [s.findingId, s.outcome, s.reason])).toEqual([
      ['lo', 'skipped', 'low findings do not create issues automatically (policy: critical, high)'],
      ['nowhere', 'unrouted', 'No project mapping matches asset "mainframe" (x) and there is no default mapping'],
      ['done', 'skipped', 'The finding is already resolved on the platform'],
    ]);
    expect(await totals(sandbox)).toMatchObject({ created: 1, skipped: 2, unrouted: 1 });
    // A policy change makes the re-post news again.
    await setConfig(sandbox, buildSyncConfig({ autoCreate: { mode: 'all' }, defaultMapping: undefined }));
    // (A different timestamp: the identical body signed in the same second would be a replay.)
    expect((await postFindings(sandbox, batch(findings), { t: Math.floor(Date.now() / 1000) - 5 })).json).toMatchObject(
      { accepted: 3, duplicates: 1 },
    );
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(2);
  });
});
