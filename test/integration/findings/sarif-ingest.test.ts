import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createFindingsSandbox, jiraIssues, postRaw, quietAppLogs, SARIF_DIR } from './findings-sandbox';

/** Real scanners' SARIF logs (test/fixtures/sarif, see its README) through the web trigger into Jira. */
describe('SARIF ingest', () => {
  beforeAll(quietAppLogs);

  it.each([
    [
      'codeQL-output.sarif',
      { results: 72, findings: 72, suppressed: 0 },
      { 'severity-low': 57, 'severity-high': 11, 'severity-medium': 4 },
    ],
    ['dependency_check.sarif', { results: 13, findings: 13, suppressed: 0 }, { 'severity-high': 13 }],
    // Gitleaks reports a secret once per commit it is in: the same secret at the same place is one finding.
    ['gitleaks_7.5.0.sarif', { results: 8, findings: 4, suppressed: 0, duplicates: 4 }, { 'severity-medium': 4 }],
    ['njsscan.sarif', { results: 2, findings: 2, suppressed: 0 }, { 'severity-high': 1, 'severity-medium': 1 }],
    ['suppression_test.sarif', { results: 5, findings: 2, suppressed: 3 }, { 'severity-medium': 2 }],
    ['no_runs.sarif', { results: 0, findings: 0, suppressed: 0 }, {}],
  ])(
    '%s: every unsuppressed result becomes one issue; a re-post of the log is all duplicates',
    async (file, stats, severities) => {
      const sandbox = await createFindingsSandbox();
      const body = readFileSync(path.join(SARIF_DIR, file), 'utf8');
      const options = { contentType: 'application/sarif+json', query: '/?asset=repo-42&assetName=web-payments' };
      const t0 = Math.floor(Date.now() / 1000);
      const first = await postRaw(sandbox, body, { ...options, t: t0 });
      expect(first.status).toBe(202);
      const repeats = 'duplicates' in stats ? stats.duplicates : 0;
      expect(first.json).toMatchObject({
        accepted: stats.findings,
        duplicates: repeats,
        rejected: [],
        sarif: expect.objectContaining(stats),
      });
      await sandbox.settle();

      const issues = await jiraIssues(sandbox);
      expect(issues).toHaveLength(stats.findings);
      expect(issues.every((i) => i.key.startsWith('SEC-'))).toBe(true); // asset name web-* → SEC
      const bySeverity: Record<string, number> = {};
      for (const issue of issues) {
        const label = (issue.fields['labels'] as string[]).find((l) => l.startsWith('severity-'))!;
        bySeverity[label] = (bySeverity[label] ?? 0) + 1;
      }
      expect(bySeverity).toEqual(severities);

      const writes = sandbox.jira.counters.writes;
      const again = await postRaw(sandbox, body, { ...options, t: t0 - 1 });
      expect(again.json).toMatchObject({ accepted: 0, duplicates: stats.findings + repeats });
      await sandbox.settle();
      expect(sandbox.jira.counters.writes).toBe(writes);
      expect(await jiraIssues(sandbox)).toHaveLength(stats.findings);
    },
  );

  it('refuses a body that is not SARIF 2.1.0 with a precise 400', async () => {
    const sandbox = await createFindingsSandbox();
    const response = await postRaw(sandbox, JSON.stringify({ version: '2.0.0', runs: [] }), {
      contentType: 'application/sarif+json',
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      error: {
        code: 'INVALID_BODY',
        details: [{ path: 'version', message: 'Unsupported SARIF version "2.0.0": expected "2.1.0"' }],
      },
    });
  });

  it('reads a SARIF log posted as application/json (version + runs); line 20,000,000 is a location', async () => {
    const sandbox = await createFindingsSandbox();
    const log = JSON.parse(readFileSync(path.join(SARIF_DIR, 'njsscan.sarif'), 'utf8'));
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 20_000_000;
    const response = await postRaw(sandbox, JSON.stringify(log), {
      contentType: 'application/json',
      query: '/?asset=repo-42&assetName=web-payments',
    });
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ accepted: 2, rejected: [], sarif: { results: 2, findings: 2 } });
    await sandbox.settle();
    const summaries = (await jiraIssues(sandbox)).map((issue) => issue.fields['summary'] as string);
    expect(summaries.some((summary) => summary.endsWith('/src/index.js:20000000'))).toBe(true);
  });
});
