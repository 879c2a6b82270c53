import { PlatformEmulator } from '../../../sandbox/platform/platform-emulator';
import { createSandbox, type Sandbox } from '../../../sandbox';
import { buildIssueEventDeps, ensureAppSigningSecret, syncDeps } from '../../../src/composition';
import type { Finding } from '../../../src/domain/finding';
import { signPayload } from '../../../src/domain/signature';
import { configRepository } from '../../../src/storage/config-repository';
import { handleIssueEvent } from '../../../src/usecases/handle-issue-event';
import { syncFindingChunk } from '../../../src/usecases/sync/sync-chunk';
import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import { jiraIssues, quietAppLogs } from '../findings/findings-sandbox';

/**
 * The deletion handler (Jira → platform) and the sync consumer (findings → Jira) both touch one
 * finding. Here the sync runs while a late deletion event is between its reads and its write.
 */

const SECRET = 'deletion-race-secret-0123456789abcdefghijklm';

async function setup(): Promise<{ sandbox: Sandbox; platform: PlatformEmulator; post: (f: Finding) => Promise<void> }> {
  const platform = new PlatformEmulator(SECRET);
  await platform.listen(0);
  const sandbox = createSandbox({ env: { PLATFORM_ORIGIN: platform.url }, jira: { seed: 'empty' } });
  // The race is arranged by hand (held and released deliveries): one delivery at a time, in order.
  sandbox.productEvents.setSchedule({ kind: 'serial' });
  await sandbox.runAsApp(() => ensureAppSigningSecret({ initial: SECRET }));
  await sandbox.runAsApp(() =>
    configRepository.save({ ...buildSyncConfig(), onDeletedIssue: 'recreate', platform: { baseUrl: platform.url } }),
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
    await sandbox.queues.drain(); // the sync only: product events stay where the test put them
  };
  return { sandbox, platform, post };
}

describe('deletion handler racing the sync consumer on one finding', () => {
  beforeAll(quietAppLogs);

  it('a late deletion of the old issue never unlinks the issue the sync re-created (no third issue)', async () => {
    const { sandbox, platform, post } = await setup();
    try {
      const finding = buildFinding({
        id: 'race-1',
        asset: { id: 'web', name: 'web-shop' },
        updatedAt: '2024-06-01T00:00:00Z',
      });
      await post(finding);
      const [first] = await jiraIssues(sandbox);
      await sandbox.jira.as(sandbox.jira.users.admin).delete(first!.key);
      const deletion = sandbox.productEvents.pending().find((d) => d.event.eventType === 'avi:jira:deleted:issue');
      expect(deletion).toBeDefined();

      const deps = buildIssueEventDeps();
      const racingStore: typeof deps.store = {
        ...deps.store,
        async commit(change) {
          // The handler has read what it needs; the sync consumer runs now: the first change finds
          // the issue gone (onDeletedIssue: recreate), the second creates the new issue.
          await post({ ...finding, title: 'changed once', updatedAt: '2024-06-02T00:00:00Z' });
          await post({ ...finding, title: 'changed twice', updatedAt: '2024-06-03T00:00:00Z' });
          expect(await jiraIssues(sandbox)).toHaveLength(1);
          return deps.store.commit(change);
        },
      };
      const outcome = await sandbox.runAsApp(() =>
        handleIssueEvent(deletion!.event.payload, { ...deps, store: racingStore }),
      );
      expect(outcome).toMatchObject({ handled: true, action: 'link-removed' });
      await sandbox.settle(); // the trigger's own delivery of the same event: the link is gone, nothing happens

      await post({ ...finding, title: 'changed three times', updatedAt: '2024-06-04T00:00:00Z' });
      const issues = await jiraIssues(sandbox);
      expect(issues.map((i) => i.fields['summary'])).toEqual(['changed three times in app/login.py:42']);
      expect(
        platform.accepted().filter((c) => (c.json as { type: string }).type === 'finding.issue_deleted'),
      ).toHaveLength(1);
    } finally {
      await sandbox.close();
      await platform.close();
    }
  });

  it("a deletion between the sync's read and write is not lost: the next update follows onDeletedIssue", async () => {
    const { sandbox, platform, post } = await setup();
    try {
      const finding = buildFinding({
        id: 'race-2',
        asset: { id: 'web', name: 'web-shop' },
        updatedAt: '2024-06-01T00:00:00Z',
      });
      await post(finding);
      const [first] = await jiraIssues(sandbox);

      // A change is queued; the test runs its chunk itself so that it can step in before the state write.
      const body = JSON.stringify({
        source: 'conviso',
        findings: [{ ...finding, title: 'changed once', updatedAt: '2024-06-02T00:00:00Z' }],
      });
      await sandbox.requestWebTrigger('ingest-webtrigger', {
        headers: {
          'Content-Type': 'application/json',
          'X-Signature': signPayload(SECRET, body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      const event = sandbox.queues.pending('finding-sync')[0]!.body as { chunkKey: string; lane: string };
      const deps = syncDeps();
      let stepped = false;
      const racingStates: typeof deps.states = {
        ...deps.states,
        async putMany(states) {
          if (!stepped) {
            stepped = true; // the edit went through; now a developer deletes the issue and the trigger handles it
            await sandbox.jira.as(sandbox.jira.users.admin).delete(first!.key);
            await sandbox.productEvents.drain({ skipWaits: true });
            expect(
              sandbox.productEvents.log.filter(
                (r) => r.eventType === 'avi:jira:deleted:issue' && r.outcome !== 'filtered',
              ),
            ).toHaveLength(1);
          }
          return deps.states.putMany(states);
        },
      };
      const result = await sandbox.runAsApp(() =>
        syncFindingChunk(
          { chunkKey: event.chunkKey, lane: event.lane, requeues: 0, retryCount: 0 },
          { ...deps, states: racingStates },
        ),
      );
      expect(result).toMatchObject({ kind: 'done', counts: { updated: 1 } });
      expect(stepped).toBe(true);
      await sandbox.settle();
      expect(await jiraIssues(sandbox)).toEqual([]);

      // onDeletedIssue: recreate — the next change creates the new issue at once (no write to the deleted one first).
      const writesBefore = sandbox.jira.counters.byOperation()['PUT /rest/api/3/issue/{issueIdOrKey}'] ?? 0;
      await post({ ...finding, title: 'changed twice', updatedAt: '2024-06-03T00:00:00Z' });
      expect((await jiraIssues(sandbox)).map((i) => i.fields['summary'])).toEqual(['changed twice in app/login.py:42']);
      expect(sandbox.jira.counters.byOperation()['PUT /rest/api/3/issue/{issueIdOrKey}'] ?? 0).toBe(writesBefore);
    } finally {
      await sandbox.close();
      await platform.close();
    }
  });
});
