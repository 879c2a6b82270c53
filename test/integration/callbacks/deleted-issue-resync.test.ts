import { PlatformEmulator } from '../../../sandbox/platform/platform-emulator';
import { createSandbox, type Sandbox } from '../../../sandbox';
import { ensureAppSigningSecret } from '../../../src/composition';
import type { Finding } from '../../../src/domain/finding';
import { signPayload } from '../../../src/domain/signature';
import { configRepository } from '../../../src/storage/config-repository';
import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import { jiraIssues, quietAppLogs } from '../findings/findings-sandbox';

/** A deleted issue, then a changed re-post of its finding, through the real ingest and sync. */

const SECRET = 'resync-test-secret-0123456789abcdefghijklmn';

async function setup(
  onDeletedIssue: 'ignore' | 'recreate',
): Promise<{ sandbox: Sandbox; platform: PlatformEmulator; post: (f: Finding) => Promise<void> }> {
  const platform = new PlatformEmulator(SECRET);
  await platform.listen(0);
  const sandbox = createSandbox({ env: { PLATFORM_ORIGIN: platform.url }, jira: { seed: 'empty' } });
  await sandbox.runAsApp(() => ensureAppSigningSecret({ initial: SECRET }));
  await sandbox.runAsApp(() =>
    configRepository.save({ ...buildSyncConfig(), onDeletedIssue, platform: { baseUrl: platform.url } }),
  );
  const post = async (finding: Finding) => {
    const body = JSON.stringify({ source: 'conviso', findings: [finding] });
    const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
      headers: {
        'Content-Type': 'application/json',
        'X-Signature': signPayload(SECRET, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(response.status).toBe(202);
    await sandbox.settle();
  };
  return { sandbox, platform, post };
}

describe('a later update of a finding whose issue was deleted in Jira', () => {
  beforeAll(quietAppLogs);

  it.each([
    ['ignore', 0],
    ['recreate', 1],
  ] as const)('onDeletedIssue: %s → %i new issue(s)', async (onDeletedIssue, recreated) => {
    const { sandbox, platform, post } = await setup(onDeletedIssue);
    try {
      const finding = buildFinding({
        id: 'del-1',
        asset: { id: 'web', name: 'web-shop' },
        updatedAt: '2024-06-01T00:00:00Z',
      });
      await post(finding);
      const [issue] = await jiraIssues(sandbox);
      await sandbox.jira.as(sandbox.jira.users.admin).delete(issue!.key);
      await sandbox.settle();
      expect(platform.accepted().map((c) => (c.json as { type: string }).type)).toContain('finding.issue_deleted');
      expect(
        (
          platform.accepted().find((c) => (c.json as { type: string }).type === 'finding.issue_deleted')!.json as {
            onLaterUpdate: string;
          }
        ).onLaterUpdate,
      ).toBe(onDeletedIssue);

      await post({ ...finding, title: `${finding.title} (changed)`, updatedAt: '2024-06-02T00:00:00Z' });
      const issues = await jiraIssues(sandbox);
      expect(issues).toHaveLength(recreated);
    } finally {
      await sandbox.close();
      await platform.close();
    }
  });
});
