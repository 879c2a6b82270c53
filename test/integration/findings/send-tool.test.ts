import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../sandbox';
import { createFindingsSandbox, jiraIssues, quietAppLogs, SARIF_DIR, TEST_SECRET } from './findings-sandbox';

const run = promisify(execFile);

describe('npm run send', () => {
  beforeAll(quietAppLogs);

  it('signs a SARIF file and posts it to a web trigger URL over HTTP, printing the answer', async () => {
    const sandbox = await createFindingsSandbox();
    await sandbox.webTriggers.listen(0, '127.0.0.1');
    try {
      const url = sandbox.webTriggers.urlFor('ingest-webtrigger');
      const { stdout } = await run(
        process.execPath,
        [
          path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
          path.join(REPO_ROOT, 'sandbox', 'tools', 'send-findings.ts'),
          path.join(SARIF_DIR, 'njsscan.sarif'),
          '--asset',
          'repo-7',
          '--asset-name',
          'web-api',
        ],
        { env: { ...process.env, FINDING_SYNC_URL: url, FINDING_SYNC_SECRET: TEST_SECRET }, cwd: REPO_ROOT },
      );
      expect(stdout).toContain('(application/sarif+json');
      expect(stdout).toContain('→ 202');
      expect(stdout).toContain('"accepted": 2');
      await sandbox.settle();
      expect(await jiraIssues(sandbox)).toHaveLength(2);
    } finally {
      await sandbox.webTriggers.close();
    }
  }, 120_000); // spawns Node + tsx: seconds when idle, much longer on a busy shared machine
});
