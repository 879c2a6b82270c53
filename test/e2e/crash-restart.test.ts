import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../sandbox';
import { JOURNAL_FILE, loadState } from '../../sandbox/persistence/journal';
import { seededRandom } from '../../sandbox/jira/search-index';
import { signPayload } from '../../src/domain/signature';
import { EMPTY_SEARCH_TRUSTED_AFTER_MS } from '../../src/domain/search-index-lag';

/**
 * `npm start` killed as a tester would kill it (issue 10, "Crash and restart"), CRASH_ROUNDS times (default 10;
 * `npm run test:crash`, and `.ci/run` after `npm test`). Each round starts afresh, posts a 2,000-finding batch
 * through the signed web trigger (answered 202), waits until the Jira emulator's journal shows the k-th issue
 * created (k seeded, between 50 and 1,950: the kill lands inside the sync, during issue creation), SIGKILLs the
 * whole process group and restarts it without `--fresh`. Within two minutes of that restart every finding must
 * have exactly one Jira issue, without posting again. A consumer killed while it holds its lane's lease blocks
 * the lane for about a minute (the lease's expiry, `src/domain/lease.ts`). One exception, which the round names:
 * a create in doubt — its findings marked pending, the request never reached Jira (Jira finishes at start-up
 * what it had received, sandbox/README.md) — can only be proven absent by an empty search once the mark is older
 * than the index-lag bound (`src/domain/search-index-lag.ts`); its findings must have their issue by then plus
 * DOUBT_SLACK_MS, still exactly one. What Jira holds is read from the data
 * directory as a restart would read it (snapshot + journal), so the check itself needs no Jira call.
 * Seeded: CRASH_SEED=<n> repeats the kill schedule (the seed is printed).
 */

const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 1_000_000));
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 0);
/** Where the kill lands: after the k-th issue of the round's 2,000, k in [KILL_FROM, FINDINGS - KILL_FROM). */
const KILL_FROM = 50;
const FINDINGS = 2_000;
const SETTLE_LIMIT_MS = 120_000;
/**
 * A create in doubt (its mark written, the request never reached Jira) waits until the mark is old enough for an
 * empty search to prove absence; then the chunk's retry (1 s later) and its lane's turn: this much on top.
 */
const DOUBT_SLACK_MS = 20_000;
/** How long to keep watching after the last restart (for figures beyond the limit): CRASH_WATCH_MS. */
const WATCH_MS = Math.max(SETTLE_LIMIT_MS, Number(process.env.CRASH_WATCH_MS ?? 0));
/** CRASH_LOG=<file>: every line `npm start` prints, with the time it was read (to diagnose a slow round). */
const LOG_FILE = process.env.CRASH_LOG;
const describeWhenAsked = ROUNDS > 0 ? describe : describe.skip;

interface Started {
  child: ChildProcess;
  webTrigger: string;
  secret: string;
  output: string[];
}

/** `npm start` in its own process group; resolves once it printed its lines (it then serves). */
function start(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'sandbox/start.ts'), ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`npm start did not start: ${output.slice(-20).join('\n')}`)),
      90_000,
    );
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      output.push(...lines.filter((line) => !line.startsWith('[')));
      if (LOG_FILE) appendFileSync(LOG_FILE, lines.map((line) => `${new Date().toISOString()} ${line}\n`).join(''));
      const webTrigger = output.find((l) => l.startsWith('Web trigger: '))?.slice('Web trigger: '.length);
      const secret = output.find((l) => l.startsWith('Shared secret: '))?.slice('Shared secret: '.length);
      if (webTrigger && secret) {
        clearTimeout(timer);
        resolve({ child, webTrigger, secret, output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code ?? signal}): ${output.slice(-20).join('\n')}`));
    });
  });
}

/** SIGKILL to the whole process group, and wait until the leader is gone. */
function killGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGKILL');
  });
}

/** Issues per finding id (the app's link property), as the data directory holds them now (what a restart loads). */
function issuesByFinding(dataDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  const { state } = loadState(dataDir);
  for (const issue of state?.jira.issues ?? []) {
    const link = issue.properties.findingSyncLink as { findingId?: string } | undefined;
    if (link?.findingId) counts.set(link.findingId, (counts.get(link.findingId) ?? 0) + 1);
  }
  return counts;
}

/**
 * Pending marks at the kill: findings the app had marked "create under way" (finding state `pending`), with the
 * mark's time. A mark whose create never reached Jira is in doubt: the app cannot tell it from an issue Jira has
 * not indexed yet, so it waits until an empty search proves absence (`domain/search-index-lag.ts`).
 */
function pendingMarks(dataDir: string): Map<string, number> {
  const marks = new Map<string, number>();
  const { state } = loadState(dataDir);
  for (const [key, item] of Object.entries(state?.kvs.keys ?? {})) {
    if (!key.startsWith('finding:')) continue;
    const value = item.value as { outcome?: string; findingId?: string; pendingCreateSince?: string };
    if (value.outcome === 'pending' && value.findingId && value.pendingCreateSince)
      marks.set(value.findingId, Date.parse(value.pendingCreateSince));
  }
  return marks;
}

/**
 * Issues the Jira emulator has created so far: its issue id counter in the Jira entries at the journal's tail
 * (cheap enough to poll every 50 ms). A tail without one (nothing created yet, or the journal just compacted)
 * keeps the last count seen.
 */
function issuesCreated(dataDir: string, baseline: number, previous: number): number {
  let tail = '';
  try {
    const fd = openSync(path.join(dataDir, JOURNAL_FILE), 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 512 * 1024);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      tail = buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return previous; // no journal yet
  }
  const ids = [...tail.matchAll(/"t":"jira","sequence":\{"issueId":(\d+)/g)].map((m) => Number(m[1]) - baseline);
  return Math.max(previous, ...ids);
}

describeWhenAsked('npm start killed mid-sync and restarted', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'crash-restart-'));
  const port = 21000 + Math.floor(Math.random() * 18000);
  let current: ChildProcess | undefined;
  afterAll(async () => {
    if (current) await killGroup(current);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`every finding answered 202 ends with exactly one issue (seed ${SEED}, ${ROUNDS} rounds)`, async () => {
    console.log(`crash-restart: seed ${SEED}, ${ROUNDS} rounds (CRASH_SEED=${SEED} CRASH_ROUNDS=${ROUNDS} repeats it)`);
    const random = seededRandom(SEED);
    // Jira answers after 20 ms, as a real site answers after some: the sync then spans the kill's aim (with
    // instant answers 2,000 issues took 1.5 s and a kill aimed near the end could land after it), and the kill
    // can catch a request Jira has not answered yet (Jira finishes it: sandbox/README.md).
    const args = ['--port', String(port), '--data-dir', dataDir, '--schedule-every', '30s', '--jira-latency-ms', '20'];
    const began = Date.now();
    const report: string[] = [];
    const failures: string[] = [];

    for (let round = 1; round <= ROUNDS; round++) {
      const roundBegan = Date.now();
      let started = await start([...args, '--fresh']);
      current = started.child;
      const baseline = loadState(dataDir).state?.jira.sequence.issueId ?? 0;
      const findings = Array.from({ length: FINDINGS }, (_, i) => ({
        id: `crash-${round}-${i}`,
        title: `Crash test finding ${i} (round ${round})`,
        severity: 'high',
        status: 'open',
        asset: { id: `asset-${i % 9}`, name: i % 3 === 0 ? `ops-host-${i % 9}` : `web-${i % 9}` },
        updatedAt: '2026-11-30T12:00:00.000Z',
      }));
      const body = JSON.stringify({ source: 'conviso', findings });
      const t = Math.floor(Date.now() / 1000);
      const answer = await fetch(started.webTrigger, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Signature': signPayload(started.secret, body, t) },
        body,
      });
      expect(answer.status).toBe(202);

      const killAt = KILL_FROM + Math.floor(random() * (FINDINGS - 2 * KILL_FROM));
      const posted = Date.now();
      let created = issuesCreated(dataDir, baseline, 0);
      while (created < killAt && Date.now() - posted < 300_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        created = issuesCreated(dataDir, baseline, created);
      }
      await killGroup(started.child);
      const killedAfterMs = Date.now() - posted;
      const atKill = issuesCreated(dataDir, baseline, created);
      const marks = pendingMarks(dataDir);
      started = await start(args);
      current = started.child;
      const restartedAt = Date.now();
      // Jira has finished what it had received (`npm start` prints its lines after that): a mark still without an
      // issue belongs to a create that never reached Jira.
      const afterCatchUp = issuesByFinding(dataDir);
      const inDoubt = [...marks].filter(([id]) => !afterCatchUp.has(id));
      const lastDoubt = Math.max(0, ...inDoubt.map(([, at]) => at));
      const limitMs =
        inDoubt.length === 0
          ? SETTLE_LIMIT_MS
          : Math.max(SETTLE_LIMIT_MS, lastDoubt + EMPTY_SEARCH_TRUSTED_AFTER_MS + DOUBT_SLACK_MS - restartedAt);

      let counts = issuesByFinding(dataDir);
      while (counts.size < FINDINGS && Date.now() - restartedAt < Math.max(WATCH_MS, limitMs)) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        counts = issuesByFinding(dataDir);
      }
      const settledMs = Date.now() - restartedAt;
      await killGroup(started.child);
      current = undefined;
      const duplicates = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
      const missing = findings.map((f) => f.id).filter((id) => !counts.has(id));
      report.push(
        `round ${round}: killed at issue ${atKill} (aimed at ${killAt}, ${killedAfterMs} ms after the post); ` +
          `after the restart ${counts.size} of ${FINDINGS} with an issue in ${settledMs} ms, ` +
          `${duplicates.length} duplicates; ${marks.size} pending marks at the kill, ${inDoubt.length} of them ` +
          `in doubt (limit ${Math.round(limitMs / 1000)} s); round ${Math.round((Date.now() - roundBegan) / 1000)} s`,
      );
      if (LOG_FILE) appendFileSync(LOG_FILE, `${new Date().toISOString()} ${report.at(-1)}\n`);
      if (atKill < 1 || atKill >= FINDINGS)
        failures.push(`round ${round}: the kill missed the sync (${atKill} issues)`);
      if (duplicates.length > 0) failures.push(`round ${round}: duplicates ${duplicates.slice(0, 5).join(', ')}`);
      if (missing.length > 0) failures.push(`round ${round}: no issue for ${missing.slice(0, 5).join(', ')}`);
      if (settledMs > limitMs) failures.push(`round ${round}: ${settledMs} ms to settle (limit ${limitMs} ms)`);
    }
    console.log([...report, `wall time ${Math.round((Date.now() - began) / 1000)} s`].join('\n'));
    expect(failures).toEqual([]);
  }, 3_600_000);
});
