import type { Sandbox } from '../../../sandbox';
import { commentOperations } from '../../../src/jira/comment-operations';
import type { FindingComment } from '../../../src/domain/finding-comment';
import type { Finding } from '../../../src/domain/finding';
import { appCommentRepository } from '../../../src/storage/comment-repository';
import { findingStateRepository } from '../../../src/storage/finding-state-repository';
import { syncChunkComments } from '../../../src/usecases/sync-comments';
import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import { createFindingsSandbox, postFindings, quietAppLogs, setConfig } from '../findings/findings-sandbox';
import { computeFindingKey } from '../../../src/domain/finding-state';

/** Platform → Jira comments through the real ingest and sync consumer, against the Jira emulator. */

const comment = (id: string, body: string, overrides: Partial<FindingComment> = {}): FindingComment => ({
  id,
  author: 'Dana Reyes',
  body,
  createdAt: '2024-05-01T12:00:00Z',
  ...overrides,
});

function commentWrites(sandbox: Sandbox): { post: number; put: number; del: number; other: number } {
  const calls = sandbox.sdkCalls.filter((c) => c.target === 'fpp:app:jira' && c.path.includes('/comment'));
  return {
    post: calls.filter((c) => c.method === 'POST' && /\/issue\/[^/]+\/comment/.test(c.path)).length,
    put: calls.filter((c) => c.method === 'PUT').length,
    del: calls.filter((c) => c.method === 'DELETE').length,
    other: calls.filter((c) => c.method === 'GET' || c.path.includes('/comment/list')).length,
  };
}

function issueComments(sandbox: Sandbox) {
  const [issue] = sandbox.jira.snapshot().issues;
  return issue?.comments ?? [];
}

function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[] };
  return (n.text ?? '') + (n.content ?? []).map(adfText).join('');
}

describe('comments: platform → Jira', () => {
  beforeAll(quietAppLogs);
  let sandbox: Sandbox;
  let version = Date.parse('2024-05-01T12:00:00Z');
  const post = async (finding: Finding) => {
    version += 60_000;
    const response = await postFindings(sandbox, {
      source: 'conviso',
      findings: [{ ...finding, updatedAt: new Date(version).toISOString() }],
    });
    expect(response.status).toBe(202);
    await sandbox.settle();
  };
  beforeEach(async () => {
    sandbox = await createFindingsSandbox();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('new → one Jira comment naming the author; re-post → no write; edit → update; removed → delete', async () => {
    const finding = buildFinding({ id: 'f-comments', comments: [comment('c-1', 'Exploitable only behind the VPN')] });
    await post(finding);
    expect(commentWrites(sandbox)).toEqual({ post: 1, put: 0, del: 0, other: 0 });
    const [written] = issueComments(sandbox);
    expect(adfText(written!.body)).toBe('Dana Reyes on conviso:Exploitable only behind the VPN');
    expect(written!.authorId).toBe(sandbox.jira.users.app);

    // The same finding again (same content) and then a changed finding with the same comments: no comment call.
    await post(finding);
    await post({ ...finding, title: 'SQL injection in login form (confirmed)' });
    expect(commentWrites(sandbox)).toEqual({ post: 1, put: 0, del: 0, other: 0 });

    await post({
      ...finding,
      comments: [comment('c-1', 'Fixed in 2.3.1, please verify', { updatedAt: '2024-05-02T00:00:00Z' })],
    });
    expect(commentWrites(sandbox)).toEqual({ post: 1, put: 1, del: 0, other: 0 });
    expect(issueComments(sandbox).map((c) => adfText(c.body))).toEqual([
      'Dana Reyes on conviso:Fixed in 2.3.1, please verify',
    ]);

    await post({ ...finding, comments: [] });
    expect(commentWrites(sandbox)).toEqual({ post: 1, put: 1, del: 1, other: 0 });
    expect(issueComments(sandbox)).toEqual([]);
  });

  it("never deletes a person's Jira comment, and never writes a comment that came from Jira", async () => {
    const finding = buildFinding({ id: 'f-mixed', comments: [comment('c-1', 'analyst note')] });
    await post(finding);
    const [issue] = sandbox.jira.snapshot().issues;
    const dev = sandbox.jira.as(sandbox.jira.users.developer);
    const { id } = await dev.comment(issue!.key, 'developer answer');
    await sandbox.settle();
    // The platform re-posts with the Jira comment it was told about (id jira-<id>) and without its own.
    await post({ ...finding, comments: [comment(`jira-${id}`, 'developer answer', { author: 'Developer' })] });
    expect(commentWrites(sandbox)).toEqual({ post: 1, put: 0, del: 1, other: 0 });
    expect(issueComments(sandbox).map((c) => c.id)).toEqual([id]);
  });

  it('comments absent: the app leaves Jira comments alone; policy toJira off: nothing written', async () => {
    await post(buildFinding({ id: 'f-none' }));
    await setConfig(sandbox, { ...buildSyncConfig(), comments: { toJira: false } });
    await post(buildFinding({ id: 'f-none', comments: [comment('c-1', 'x')] }));
    expect(commentWrites(sandbox)).toEqual({ post: 0, put: 0, del: 0, other: 0 });
  });

  it('refuses bad comments at ingest with precise errors, keeping the good findings', async () => {
    const response = await postFindings(sandbox, {
      source: 'conviso',
      findings: [
        buildFinding({ id: 'ok' }),
        { ...buildFinding({ id: 'bad' }), comments: [{ id: 'c', author: 'A', body: '', createdAt: 'yesterday' }] },
        { ...buildFinding({ id: 'dup' }), comments: [comment('c', 'a'), comment('c', 'b')] },
      ],
    });
    expect(response.status).toBe(202);
    expect(response.json['accepted']).toBe(1);
    const rejected = response.json['rejected'] as Array<{ id: string; errors: Array<{ path: string }> }>;
    expect(rejected.map((r) => [r.id, r.errors.map((e) => e.path)])).toEqual([
      ['bad', ['comments[0].body', 'comments[0].createdAt']],
      ['dup', ['comments[1].id']],
    ]);
  });

  it('crash between POST and record: the retry adopts the comment by its marker, no second POST', async () => {
    const finding = buildFinding({ id: 'f-crash' });
    await post(finding);
    const findingKey = computeFindingKey('conviso', 'f-crash');
    const item = { findingKey, source: 'conviso', finding: { ...finding, comments: [comment('c-1', 'note')] } };
    const logger = { info: () => undefined, warn: () => undefined };
    const crashing = {
      ...commentOperations,
      async addComment(...args: Parameters<typeof commentOperations.addComment>) {
        await commentOperations.addComment(...args); // reached Jira…
        throw new Error('invocation killed'); // …and the invocation died before the record
      },
    };
    await sandbox.runAsApp(async () => {
      const states = await findingStateRepository.getMany([findingKey]);
      await expect(
        syncChunkComments([item], states, { jira: crashing, records: appCommentRepository, logger }),
      ).rejects.toThrow('invocation killed');
      const pending = await appCommentRepository.get([...states.values()][0]!.issueId!);
      expect(Object.values(pending!.entries).map((e) => e.state)).toEqual(['pending']);
      const counts = await syncChunkComments([item], states, {
        jira: commentOperations,
        records: appCommentRepository,
        logger,
      });
      expect(counts).toMatchObject({ created: 0, recovered: 1 });
      const again = await syncChunkComments([item], states, {
        jira: commentOperations,
        records: appCommentRepository,
        logger,
      });
      expect(again).toMatchObject({ created: 0, recovered: 0, updated: 0 });
    });
    expect(issueComments(sandbox)).toHaveLength(1);
    expect(commentWrites(sandbox).post).toBe(1);
  });
});
