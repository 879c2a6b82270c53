import { buildFinding } from '../../builders/finding';
import {
  batch,
  createFindingsSandbox,
  findingIdsOf,
  jiraIssues,
  postFindings,
  quietAppLogs,
  totals,
} from './findings-sandbox';

/** Health counters count what happened to each finding once, however often its chunk was retried. */

describe('sync counters across retries of one chunk', () => {
  beforeAll(quietAppLogs);

  it('a chunk retried after a transient failure counts each finding once (not "unchanged" again)', async () => {
    const sandbox = await createFindingsSandbox();
    const edited = buildFinding({
      id: 'stat-edit',
      asset: { id: 'web', name: 'web-shop' },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    const closed = buildFinding({
      id: 'stat-close',
      asset: { id: 'web', name: 'web-shop' },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    await postFindings(sandbox, batch([edited, closed]));
    await sandbox.settle();
    expect(await totals(sandbox)).toMatchObject({ created: 2, unchanged: 0 });

    // One chunk: the first finding's edit succeeds, the second's transition meets a 503, so the chunk is retried.
    sandbox.jira.faults.inject({
      status: 503,
      retryAfterSeconds: 2,
      operation: 'POST /rest/api/3/issue/{issueIdOrKey}/transitions',
      times: 1,
    });
    await postFindings(
      sandbox,
      batch([
        { ...edited, title: 'SQL injection in login form (confirmed)', updatedAt: '2024-05-02T00:00:00Z' },
        { ...closed, status: 'resolved', updatedAt: '2024-05-02T00:00:00Z' },
      ]),
    );
    await sandbox.settle();
    expect(sandbox.jira.faults.pending()).toBe(0);
    expect(sandbox.queues.deliveries.filter((d) => d.outcome === 'retry')).toHaveLength(1);
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(['stat-close', 'stat-edit']);
    expect(await totals(sandbox)).toMatchObject({ created: 2, updated: 1, transitioned: 1, unchanged: 0, failed: 0 });
  });
});
