import { appendFileSync, copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../../../sandbox';
import { JOURNAL_FILE } from '../../../sandbox/persistence/journal';
import { ensureAppSigningSecret } from '../../../src/composition';
import { buildFinding } from '../../builders/finding';
import {
  afterLeaseExpiry,
  batch,
  findingIdsOf,
  jiraIssues,
  postFindings,
  quietAppLogs,
  setConfig,
  TEST_SECRET,
} from '../findings/findings-sandbox';
import { buildSyncConfig } from '../../builders/sync-config';

/**
 * The sandbox's state survives the process dying at any moment: what a KVS, queue or Jira call changed is
 * in the data directory before the call returns (persistence/journal.ts). A crash is simulated by copying
 * the data directory at that instant (the disk as a killed process leaves it) and starting a new sandbox
 * on the copy, without `close()` or `save()`.
 */

const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), `durable-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => quietAppLogs());

async function durableSandbox(): Promise<{ sandbox: Sandbox; dataDir: string }> {
  const dataDir = tempDir('data');
  const sandbox = createSandbox({ dataDir, fresh: true, jira: { seed: 'empty' } });
  await sandbox.runAsApp(() => ensureAppSigningSecret({ initial: TEST_SECRET }));
  await setConfig(sandbox, buildSyncConfig());
  return { sandbox, dataDir };
}

/** Where each restarted sandbox keeps its state. */
const dataDirOf = new WeakMap<Sandbox, string>();

/** The disk as a SIGKILL would leave it now, opened by a new sandbox. */
function crashAndRestart(dataDir: string): Sandbox {
  const copy = tempDir('crash');
  cpSync(dataDir, copy, { recursive: true });
  const restarted = createSandbox({ dataDir: copy, jira: { seed: 'empty' } });
  dataDirOf.set(restarted, copy);
  return restarted;
}

const findings = (n: number) =>
  batch(Array.from({ length: n }, (_, i) => buildFinding({ id: `durable-${i}`, title: `Durable finding ${i}` })));

const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition not reached');
};

describe('durable sandbox state', () => {
  it('a batch answered 202 survives a crash right after the answer: stored chunks and queued events', async () => {
    const { sandbox, dataDir } = await durableSandbox();
    const answer = await postFindings(sandbox, findings(120));
    expect(answer.status).toBe(202);
    const restarted = crashAndRestart(dataDir);
    expect(restarted.recovery.replayed).toBeGreaterThan(0);
    expect(restarted.kvs.snapshot()).toEqual(sandbox.kvs.snapshot());
    expect(restarted.queues.pending().map((e) => e.eventId)).toEqual(sandbox.queues.pending().map((e) => e.eventId));
    await restarted.settle();
    const ids = findingIdsOf(await jiraIssues(restarted));
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it('Jira writes survive, and an event being delivered at the crash is delivered again', async () => {
    const { sandbox, dataDir } = await durableSandbox();
    expect((await postFindings(sandbox, findings(60))).status).toBe(202);
    // Jira answers after a few milliseconds, so the sync spans many timer ticks and the crash lands inside it.
    sandbox.jira.faults.set({ latencyMs: 5 });
    const draining = sandbox.queues.drain();
    // Mid-sync: some issues exist, a chunk's event is in flight.
    await waitFor(() => sandbox.jira.snapshot().issues.length >= 3);
    const restarted = crashAndRestart(dataDir);
    const issuesAtCrash = sandbox.jira.snapshot().issues.map((i) => i.id);
    // Jira finishes a request it had received (the copy may catch one in flight): what it held is kept, in order.
    await restarted.jiraCaughtUp;
    const issuesAfter = restarted.jira.snapshot().issues.map((i) => i.id);
    expect(issuesAfter.slice(0, issuesAtCrash.length)).toEqual(issuesAtCrash);
    if (restarted.recovery.jiraInFlight === 0) expect(issuesAfter).toEqual(issuesAtCrash);
    expect(restarted.queues.pending().length).toBeGreaterThan(0);
    await draining;
    // The app's part: the dead process held the lane's lease; its redelivered event runs once it expires,
    // and finds the issues the dead delivery created through JQL (Jira's index lag on: recovery waits it out).
    await afterLeaseExpiry(() => restarted.settle());
    const ids = findingIdsOf(await jiraIssues(restarted));
    expect(new Set(ids).size).toBe(60);
    expect(ids).toHaveLength(60);
  });

  it('a Jira write received before the crash is finished once at start-up, not lost and not repeated', async () => {
    const { sandbox, dataDir } = await durableSandbox();
    sandbox.jira.faults.set({ latencyMs: 200 });
    const body = JSON.stringify({
      fields: { project: { key: 'SEC' }, issuetype: { name: 'Bug' }, summary: 'Sent just before the crash' },
    });
    const create = (s: Sandbox) =>
      s.runAsApp(async () => {
        const { default: api, route } = await import('@forge/api');
        return api.asApp().requestJira(route`/rest/api/3/issue`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
      });
    const sent = create(sandbox);
    // Jira has the request (journalled on arrival) and is still working on it when the process dies.
    await waitFor(() => readFileSync(path.join(dataDir, JOURNAL_FILE), 'utf8').includes('"t":"jira-received"'));
    const restarted = crashAndRestart(dataDir);
    expect(restarted.recovery.jiraInFlight).toBe(1);
    await restarted.jiraCaughtUp;
    const summaries = (r: Sandbox) => r.jira.snapshot().issues.map((i) => i.values.summary);
    expect(summaries(restarted)).toEqual(['Sent just before the crash']);
    expect((await sent).status).toBe(201);

    // A finished request is not run again: neither the original (its answer returned) nor the one start-up finished.
    for (const dir of [dataDir, dataDirOf.get(restarted)!]) {
      const again = crashAndRestart(dir);
      expect(again.recovery.jiraInFlight).toBe(0);
      await again.jiraCaughtUp;
      expect(summaries(again)).toEqual(['Sent just before the crash']);
    }
  });

  it('a write cut short by the crash is dropped whole; compaction leaves the state as it was', async () => {
    const { sandbox, dataDir } = await durableSandbox();
    expect((await postFindings(sandbox, findings(10))).status).toBe(202);
    const before = sandbox.kvs.snapshot();
    appendFileSync(path.join(dataDir, JOURNAL_FILE), '[{"t":"kvs","ks":"keys","key":"torn","item":{"val');
    const torn = crashAndRestart(dataDir);
    expect(torn.recovery.tornTail).toBe(true);
    expect(torn.kvs.snapshot()).toEqual(before);

    // A crash between writing the snapshot and emptying the journal: the old journal replays to the same state.
    const { sandbox: second, dataDir: secondDir } = await durableSandbox();
    expect((await postFindings(second, findings(10))).status).toBe(202);
    const oldJournal = path.join(tempDir('journal'), JOURNAL_FILE);
    copyFileSync(path.join(secondDir, JOURNAL_FILE), oldJournal);
    second.save();
    expect(readFileSync(path.join(secondDir, JOURNAL_FILE), 'utf8')).toBe('');
    copyFileSync(oldJournal, path.join(secondDir, JOURNAL_FILE));
    const replayed = crashAndRestart(secondDir);
    expect(replayed.recovery.replayed).toBeGreaterThan(0);
    expect(replayed.kvs.snapshot()).toEqual(second.kvs.snapshot());
    expect(replayed.queues.snapshot()).toEqual(second.queues.snapshot());
    expect(replayed.jira.snapshot()).toEqual(second.jira.snapshot());
  });
});
