import { computeFindingKey } from '../../../src/domain/finding-state';
import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import {
  afterLeaseExpiry,
  batch,
  createFindingsSandbox,
  deadLetters,
  findingIdsOf,
  findingStates,
  invokeConsumer,
  jiraIssues,
  pendingSyncEvents,
  postFindings,
  quietAppLogs,
  totals,
} from './findings-sandbox';

describe('an owner whose account Jira refuses as assignee', () => {
  beforeAll(quietAppLogs);

  it('creates the issue without an assignee (one retry of that element), records why, stays exactly once', async () => {
    const sandbox = await createFindingsSandbox();
    const developer = sandbox.jira.users.developer;
    const findings = [
      buildFinding({ id: 'own-ok', owner: { accountId: developer } }),
      buildFinding({ id: 'own-gone', owner: { accountId: 'deactivated-or-unknown-0001' } }),
      buildFinding({ id: 'own-none', owner: undefined }),
    ];
    expect((await postFindings(sandbox, batch(findings))).json).toMatchObject({ accepted: 3 });
    await sandbox.settle();

    const issues = await jiraIssues(sandbox);
    expect(findingIdsOf(issues)).toEqual(['own-gone', 'own-none', 'own-ok']);
    const byFinding = new Map(
      issues.map((issue) => [(issue.properties?.['findingSyncLink'] as { findingId: string }).findingId, issue]),
    );
    expect(byFinding.get('own-ok')!.fields['assignee']).toMatchObject({ accountId: developer });
    expect(byFinding.get('own-gone')!.fields['assignee'] ?? null).toBeNull();
    expect(await deadLetters(sandbox)).toEqual([]);
    // One bulk create for the chunk, one retry for the refused element only.
    expect(sandbox.jira.counters.byOperation()['POST /rest/api/3/issue/bulk']).toBe(2);

    const key = computeFindingKey('conviso', 'own-gone');
    const state = (await findingStates(sandbox, [key])).get(key);
    expect(state).toMatchObject({
      outcome: 'linked',
      issueKey: byFinding.get('own-gone')!.key,
      reason: expect.stringContaining('deactivated-or-unknown-0001'),
      assigneeRefused: { accountId: 'deactivated-or-unknown-0001', error: expect.any(String) },
    });
    expect(state?.pendingCreateSince).toBeUndefined();
    expect(await totals(sandbox)).toMatchObject({ created: 3, failed: 0, assigneeDropped: 1 });

    // A re-post changes nothing: no new issue, no Jira write.
    const writes = sandbox.jira.counters.writes;
    await postFindings(sandbox, batch(findings));
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(3);
    expect(sandbox.jira.counters.writes).toBe(writes);
  });

  it('a consumer killed after any of its SDK calls still yields exactly one issue, never a dead letter', async () => {
    const finding = buildFinding({ id: 'own-gone', owner: { accountId: 'deactivated-or-unknown-0001' } });
    const reference = await createFindingsSandbox();
    await postFindings(reference, batch([finding]));
    await invokeConsumer(reference, pendingSyncEvents(reference)[0]);
    const total = reference.sdkCalls.filter((c) => c.functionKey === 'sync-consumer').length;
    expect(
      reference.sdkCalls.filter(
        (c) => c.functionKey === 'sync-consumer' && c.path.startsWith('/rest/api/3/issue/bulk'),
      ),
    ).toHaveLength(2);
    for (let kill = 1; kill <= total; kill++) {
      const sandbox = await createFindingsSandbox();
      await postFindings(sandbox, batch([finding]));
      await invokeConsumer(sandbox, pendingSyncEvents(sandbox)[0], kill).catch(() => undefined);
      await afterLeaseExpiry(() => sandbox.settle());
      const key = computeFindingKey('conviso', 'own-gone');
      const state = (await findingStates(sandbox, [key])).get(key);
      expect({
        kill,
        ids: findingIdsOf(await jiraIssues(sandbox)),
        dead: (await deadLetters(sandbox)).length,
        outcome: state?.outcome,
        refused: state?.assigneeRefused?.accountId,
      }).toEqual({
        kill,
        ids: ['own-gone'],
        dead: 0,
        outcome: 'linked',
        refused: 'deactivated-or-unknown-0001',
      });
    }
  });
});

describe('an edit whose assignee Jira refuses (assignee owned by the platform)', () => {
  beforeAll(quietAppLogs);

  it('applies the rest of the edit without the assignee and records why', async () => {
    const sandbox = await createFindingsSandbox({
      config: buildSyncConfig({
        ownership: { platformOwned: ['summary', 'description', 'labels', 'customFields', 'assignee'] },
      }),
    });
    const finding = buildFinding({
      id: 'own-edit',
      owner: { accountId: sandbox.jira.users.developer },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    await postFindings(sandbox, batch([finding]));
    await sandbox.settle();
    await postFindings(
      sandbox,
      batch([
        {
          ...finding,
          title: 'Reassigned finding',
          owner: { accountId: 'deactivated-or-unknown-0002' },
          updatedAt: '2024-05-02T00:00:00Z',
        },
      ]),
    );
    await sandbox.settle();

    expect(await deadLetters(sandbox)).toEqual([]);
    const [issue] = await jiraIssues(sandbox);
    expect(issue!.fields['summary']).toBe('Reassigned finding in app/login.py:42');
    expect(issue!.fields['assignee']).toMatchObject({ accountId: sandbox.jira.users.developer }); // left as it was
    const key = computeFindingKey('conviso', 'own-edit');
    expect((await findingStates(sandbox, [key])).get(key)).toMatchObject({
      outcome: 'linked',
      assigneeRefused: { accountId: 'deactivated-or-unknown-0002' },
    });
    expect(await totals(sandbox)).toMatchObject({ updated: 1, assigneeDropped: 1, failed: 0 });
  });
});
