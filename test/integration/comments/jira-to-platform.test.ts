import { createSandbox, type Sandbox } from '../../../sandbox';
import { PlatformEmulator } from '../../../sandbox/platform/platform-emulator';
import { ensureAppSigningSecret } from '../../../src/composition';
import type { Finding } from '../../../src/domain/finding';
import type { FindingComment } from '../../../src/domain/finding-comment';
import { signPayload } from '../../../src/domain/signature';
import { configRepository } from '../../../src/storage/config-repository';
import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import { quietAppLogs } from '../findings/findings-sandbox';

/**
 * Jira → platform comments with the real app on both paths (ingest, sync, comment trigger, callback
 * consumer) and a platform emulator that verifies every signature.
 */

const SECRET = 'comment-test-secret-0123456789abcdefghijklm';
type CommentCallback = {
  id: string;
  type: string;
  finding: { id: string; source: string };
  issue: { key: string };
  comment: {
    id: string;
    jiraCommentId: string;
    author: { accountId: string } | null;
    body?: string;
    visibility?: unknown;
  };
};

describe('comments: Jira → platform', () => {
  beforeAll(quietAppLogs);
  let platform: PlatformEmulator;
  let sandbox: Sandbox;
  let clock = Date.parse('2024-06-01T00:00:00Z');
  let finding: Finding;
  let issueKey: string;

  async function post(next: Finding): Promise<void> {
    clock += 60_000;
    finding = { ...next, updatedAt: new Date(clock).toISOString() };
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
  }
  const commentCallbacks = () =>
    platform
      .accepted()
      .map((c) => c.json as CommentCallback)
      .filter((c) => c.type.startsWith('finding.comment_'));
  const appCommentPosts = () =>
    sandbox.sdkCalls.filter(
      (c) => c.target === 'fpp:app:jira' && c.method === 'POST' && /\/issue\/[^/]+\/comment/.test(c.path),
    ).length;
  const note = (id: string, body: string): FindingComment => ({
    id,
    author: 'Dana Reyes',
    body,
    createdAt: new Date(clock).toISOString(),
  });
  const saveConfig = async (comments: Record<string, boolean> = {}) => {
    const saved = await sandbox.runAsApp(() =>
      configRepository.save({ ...buildSyncConfig(), platform: { baseUrl: platform.url }, comments }),
    );
    expect(saved.ok).toBe(true);
  };

  beforeEach(async () => {
    platform = new PlatformEmulator(SECRET);
    await platform.listen(0);
    sandbox = createSandbox({ env: { PLATFORM_ORIGIN: platform.url }, jira: { seed: 'empty' } });
    await sandbox.runAsApp(() => ensureAppSigningSecret({ initial: SECRET }));
    await saveConfig();
    await post(buildFinding({ id: 'f-1', asset: { id: 'web', name: 'web-shop' }, comments: [note('c-1', 'analyst')] }));
    issueKey = sandbox.jira.snapshot().issues[0]!.key;
  });
  afterEach(async () => {
    await sandbox.close();
    await platform.close();
  });

  it('a person comments, edits, deletes: one signed callback each; the app-written comment sends none', async () => {
    expect(appCommentPosts()).toBe(1);
    expect(commentCallbacks()).toEqual([]); // the app's own comment never comes back
    const dev = sandbox.jira.as(sandbox.jira.users.developer);
    const { id } = await dev.comment(issueKey, 'Fixed in 2.3.1, please verify');
    await sandbox.settle();
    await dev.editComment(issueKey, id, 'Fixed in 2.3.2, please verify');
    await sandbox.settle();
    await dev.deleteComment(issueKey, id);
    await sandbox.settle();
    const callbacks = commentCallbacks();
    expect(callbacks.map((c) => c.type)).toEqual([
      'finding.comment_added',
      'finding.comment_updated',
      'finding.comment_deleted',
    ]);
    expect(callbacks[0]).toMatchObject({
      finding: { id: 'f-1', source: 'conviso' },
      issue: { key: issueKey },
      comment: {
        id: `jira-${id}`,
        jiraCommentId: id,
        author: { accountId: sandbox.jira.users.developer },
        body: 'Fixed in 2.3.1, please verify',
      },
    });
    expect(callbacks[1]!.comment.body).toBe('Fixed in 2.3.2, please verify');
    expect(new Set(callbacks.map((c) => c.id)).size).toBe(3);
    expect(platform.received.every((c) => c.verified)).toBe(true);
    // The platform emulator's page lists them under "Comments from Jira".
    const page = await (await fetch(`${platform.url}/`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('Comments from Jira');
    expect(page).toContain('Fixed in 2.3.2, please verify');
  });

  it('a restricted comment sends nothing by default; sent with its visibility when the admin allows', async () => {
    const admin = sandbox.jira.as(sandbox.jira.users.admin);
    await admin.comment(issueKey, 'internal: exploit works', { type: 'role', value: 'Administrators' });
    await sandbox.settle();
    expect(commentCallbacks()).toEqual([]);
    await saveConfig({ includeRestricted: true });
    await admin.comment(issueKey, 'internal: patched', { type: 'group', value: 'jira-administrators' });
    await sandbox.settle();
    expect(commentCallbacks().map((c) => [c.comment.body, c.comment.visibility])).toEqual([
      ['internal: patched', { type: 'group', value: 'jira-administrators' }],
    ]);
  });

  it('toPlatform off: a Jira comment sends nothing; comments on unmanaged issues send nothing', async () => {
    await saveConfig({ toPlatform: false });
    const dev = sandbox.jira.as(sandbox.jira.users.developer);
    await dev.comment(issueKey, 'not sent');
    await sandbox.settle();
    expect(commentCallbacks()).toEqual([]);
    const other = await dev.create({
      project: { key: 'SEC' },
      issuetype: { id: '10001' },
      summary: 'not managed by the app',
    });
    await saveConfig();
    await dev.comment(other.key, 'not managed');
    await sandbox.settle();
    expect(commentCallbacks()).toEqual([]);
  });

  it('6 rounds both ways with a platform that re-posts what it is told: 0 echo writes, 0 echo callbacks', async () => {
    const dev = sandbox.jira.as(sandbox.jira.users.developer);
    let seen = 0;
    let platformComments = 1;
    let jiraComments = 0;
    /** The platform applies comment callbacks the way a real one would: the Jira comment joins the finding. */
    const platformApplies = async () => {
      const fresh = commentCallbacks().slice(seen);
      seen += fresh.length;
      if (fresh.length === 0) return;
      const comments = [...(finding.comments ?? [])];
      for (const c of fresh)
        if (c.type === 'finding.comment_added')
          comments.push({
            id: c.comment.id,
            author: 'Developer',
            body: c.comment.body!,
            createdAt: finding.updatedAt!,
          });
      await post({ ...finding, comments });
    };
    for (let round = 0; round < 6; round++) {
      await dev.comment(issueKey, `developer reply ${round}`);
      jiraComments++;
      await sandbox.settle();
      await platformApplies();
      platformComments++;
      await post({ ...finding, comments: [...(finding.comments ?? []), note(`c-${round + 2}`, `analyst ${round}`)] });
      await platformApplies();
    }
    const callbacks = commentCallbacks();
    expect(callbacks.filter((c) => c.type === 'finding.comment_added')).toHaveLength(jiraComments);
    expect(callbacks).toHaveLength(jiraComments); // no callback for any app-written comment
    expect(appCommentPosts()).toBe(platformComments); // no Jira comment for any comment that came from Jira
    const comments = sandbox.jira.snapshot().issues[0]!.comments;
    expect(comments).toHaveLength(platformComments + jiraComments);
  });
});
