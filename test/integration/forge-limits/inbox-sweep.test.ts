import { buildFinding } from '../../builders/finding';
import {
  batch,
  createFindingsSandbox,
  findingIdsOf,
  jiraIssues,
  kvsKeys,
  postFindings,
  quietAppLogs,
} from '../findings/findings-sandbox';
import type { Sandbox } from '../../../sandbox/index';

/**
 * Queue pushes Forge refuses — RateLimitError, InvocationLimitReachedError (the event chain's limit), a partial
 * success — never leave a stored inbox chunk that nothing will run: the inbox sweep (every five minutes, the hourly
 * check, and the lane's next run) re-queues it. Nothing is lost and no finding gets two issues.
 */

const web = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => buildFinding({ id: `${prefix}-${i}`, asset: { id: 'web', name: 'web-shop' } }));

/** Runs `run` with the wall clock `ms` ahead (Date only: the sandbox's queue keeps its own clock). */
async function withClockAhead<T>(ms: number, run: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({
    now: Date.now() + ms,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await run();
  } finally {
    jest.useRealTimers();
  }
}

async function expectAllSyncedOnce(sandbox: Sandbox, ids: string[]): Promise<void> {
  const issues = findingIdsOf(await jiraIssues(sandbox));
  expect(issues).toEqual([...ids].sort());
  expect(await kvsKeys(sandbox, 'inbox:')).toEqual([]);
  expect(await kvsKeys(sandbox, 'inbox-due:')).toEqual([]);
  expect(sandbox.queues.failed).toEqual([]);
}

describe('inbox sweep: refused queue pushes lose nothing', () => {
  beforeAll(quietAppLogs);

  it('ingest push refused (RateLimitError): 202, the chunk stays stored, the hourly check queues it', async () => {
    const sandbox = await createFindingsSandbox();
    const findings = web('rate', 6);
    sandbox.queues.failNextPushes = 1;
    const response = await postFindings(sandbox, batch(findings));
    expect(response).toMatchObject({ status: 202, json: { accepted: 6 } });
    expect(sandbox.queues.pending('finding-sync')).toEqual([]);
    expect(await kvsKeys(sandbox, 'inbox:')).toHaveLength(1);

    // Within the grace the chunk may still have a live event: the check leaves it alone.
    expect(await sandbox.runScheduled('health-check')).toMatchObject({ requeuedChunks: 0 });
    await withClockAhead(16 * 60_000, async () => {
      expect(await sandbox.runScheduled('health-check')).toMatchObject({ requeuedChunks: 1 });
      await sandbox.settle();
    });
    await expectAllSyncedOnce(
      sandbox,
      findings.map((f) => f.id),
    );
  });

  it('partial success at ingest: the lane’s next run re-queues the chunk that was not recorded', async () => {
    const sandbox = await createFindingsSandbox();
    const first = web('partial', 60); // two chunks of lane `web`
    sandbox.queues.partialNextPush = { acceptFirst: 1 };
    expect(await postFindings(sandbox, batch(first))).toMatchObject({ status: 202, json: { accepted: 60 } });
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(50);
    expect(await kvsKeys(sandbox, 'inbox:')).toHaveLength(1);

    const later = web('later', 1);
    await withClockAhead(2 * 60_000, async () => {
      expect(await postFindings(sandbox, batch(later))).toMatchObject({ status: 202, json: { accepted: 1 } });
      await sandbox.settle();
    });
    await expectAllSyncedOnce(
      sandbox,
      [...first, ...later].map((f) => f.id),
    );
  });

  it('re-queue refused by the chain limit (InvocationLimitReachedError): left to the sweep, synced once', async () => {
    const sandbox = await createFindingsSandbox();
    const findings = web('chain', 6);
    sandbox.queues.maxChainPushes = 1; // the ingest's push is the chain's only one
    // Jira answers 503 to each attempt's first call through Forge's 4 retries: the 5th attempt must re-queue, and the
    // chain is spent.
    sandbox.jira.faults.inject({ status: 503, retryAfterSeconds: 5, times: 5 });
    expect(await postFindings(sandbox, batch(findings))).toMatchObject({ status: 202, json: { accepted: 6 } });
    await sandbox.settle();
    expect(sandbox.jira.faults.pending()).toBe(0);
    expect(await jiraIssues(sandbox)).toEqual([]);
    expect(sandbox.queues.pending()).toEqual([]);
    expect(sandbox.queues.failed).toEqual([]); // not a thrown consumer: the chunk was left to the sweep
    expect(await kvsKeys(sandbox, 'inbox:')).toHaveLength(1);

    sandbox.queues.maxChainPushes = 1000;
    // The five-minute sweep (manifest: inbox-sweep), not the hourly check: the chunk waits minutes, not an hour.
    expect(await sandbox.runScheduled('inbox-sweep')).toEqual({ requeuedChunks: 0 });
    await withClockAhead(16 * 60_000, async () => {
      expect(await sandbox.runScheduled('inbox-sweep')).toEqual({ requeuedChunks: 1 });
      await sandbox.settle();
    });
    await expectAllSyncedOnce(
      sandbox,
      findings.map((f) => f.id),
    );
    expect(sandbox.jira.counters.byOperation()['POST /rest/api/3/issue/bulk']).toBe(1);
  });

  it('a chunk re-queued while its own event still waits is run twice and yields one issue per finding', async () => {
    const sandbox = await createFindingsSandbox();
    const findings = web('twice', 6);
    expect(await postFindings(sandbox, batch(findings))).toMatchObject({ status: 202 });
    await withClockAhead(16 * 60_000, async () => {
      expect(await sandbox.runScheduled('health-check')).toMatchObject({ requeuedChunks: 1 });
      expect(sandbox.queues.pending('finding-sync')).toHaveLength(2);
      await sandbox.settle();
    });
    await expectAllSyncedOnce(
      sandbox,
      findings.map((f) => f.id),
    );
    expect(sandbox.jira.counters.byOperation()['POST /rest/api/3/issue/bulk']).toBe(1);
  });
});
