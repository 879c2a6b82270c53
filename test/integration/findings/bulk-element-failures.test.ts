import { EMPTY_SEARCH_TRUSTED_AFTER_MS } from '../../../src/domain/search-index-lag';
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

/**
 * Jira answers a bulk create element by element: some elements can fail with 429 or 5xx while the others are
 * created, and a failed element may have been created anyway. The app must not search for those before an empty
 * search proves something (its pending mark plus Jira's index lag, domain/search-index-lag.ts), and must end with
 * exactly one issue per finding.
 */

const findings = Array.from({ length: 6 }, (_, i) =>
  buildFinding({ id: `element-${i}`, asset: { id: 'web', name: 'web-shop' } }),
);

describe('bulk create elements failed with 429/5xx', () => {
  beforeAll(quietAppLogs);

  it('wait out the index lag before the one recovery search; one issue per finding', async () => {
    const sandbox = await createFindingsSandbox();
    // The slowest writes the default lag produces: a search soon after the create could not see these issues.
    sandbox.jira.faults.set({ searchIndexLag: { kind: 'fixed', ms: 60_000 } });
    sandbox.jira.faults.failBulkElements([
      { index: 1, status: 503 },
      { index: 3, status: 429, created: true },
      { index: 4, status: 500, created: true },
    ]);
    const markedBefore = Date.now();
    await postFindings(sandbox, batch(findings));
    await sandbox.settle();

    const ops = sandbox.jira.counters.byOperation();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(findings.map((f) => f.id).sort());
    expect(sandbox.jira.snapshot().issues).toHaveLength(6); // the two Jira made anyway were found, not made again
    expect(await totals(sandbox)).toMatchObject({ created: 4, recovered: 2, failed: 0 });
    expect(await deadLetters(sandbox)).toEqual([]);
    expect(ops['POST /rest/api/3/issue/bulk']).toBe(2);
    // One search, and only once the marks were old enough for its answer to count.
    expect(ops['POST /rest/api/3/search/jql']).toBe(1);
    const attempts = sandbox.queues.deliveries.filter((d) => d.queueName === 'finding-sync');
    expect(attempts.map((d) => d.outcome)).toEqual(['retry', 'ok']);
    expect(attempts[1]!.at - markedBefore).toBeGreaterThanOrEqual(EMPTY_SEARCH_TRUSTED_AFTER_MS);
  });
});
