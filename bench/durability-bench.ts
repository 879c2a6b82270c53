/**
 * `npx tsx bench/durability-bench.ts [--findings N]`: what the sandbox's journal costs (issue 10,
 * "Durable sandbox"). The same N findings (default 2,000, batches of 1,000, Jira latency 0) are posted
 * and synced twice: in memory, and with a data directory, where every KVS, queue and Jira write is in
 * the journal before its call returns. Reports wall time of both, journal entries, `write(2)` calls,
 * their total time and bytes, one compaction (a whole snapshot, as at start-up) and a restart
 * (replaying the whole journal). Writes bench/results/durability-<N>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installForgeGlobals } from '../sandbox/runtime/globals';

installForgeGlobals(); // before anything loads @forge/api

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { findings: { type: 'string' } } });
  const total = Number(values.findings ?? 2_000);
  const { createSandbox, REPO_ROOT } = await import('../sandbox');
  const { ensureAppSigningSecret } = await import('../src/composition');
  const { configRepository } = await import('../src/storage/config-repository');
  const { signPayload } = await import('../src/domain/signature');
  const quiet = { appLogs: 'collect' as const };

  const run = async (dataDir: string | undefined) => {
    const sandbox = createSandbox({ ...quiet, jira: { seed: 'empty' }, ...(dataDir ? { dataDir, fresh: true } : {}) });
    await sandbox.runAsApp(() => ensureAppSigningSecret({ initial: SECRET }));
    await sandbox.runAsApp(() =>
      configRepository.save({ mappings: [], defaultMapping: { projectKey: 'SEC', issueTypeName: 'Task' } }),
    );
    const started = performance.now();
    for (let done = 0; done < total; done += 1_000) {
      const findings = Array.from({ length: Math.min(1_000, total - done) }, (_, i) => ({
        id: `durable/${done + i}`,
        title: `Finding ${done + i}`,
        severity: 'high',
        status: 'open',
        asset: { id: `asset-${(done + i) % 7}`, name: `svc-${(done + i) % 7}` },
        updatedAt: '2026-11-30T12:00:00.000Z',
      }));
      const body = JSON.stringify({ source: 'conviso', findings });
      const t = Math.floor(Date.now() / 1000);
      const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
        headers: { 'Content-Type': 'application/json', 'X-Signature': signPayload(SECRET, body, t) },
        body,
      });
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${response.body}`);
    }
    await sandbox.settle();
    const wallMs = performance.now() - started;
    const issues = sandbox.jira.snapshot().issues.length;
    return { sandbox, wallMs, issues };
  };

  await run(undefined); // warm-up: module loading and JIT, so that the two timed runs compare
  const memory = await run(undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'durability-bench-'));
  try {
    const durable = await run(dataDir);
    const journal = durable.sandbox.journalStats!;
    const compactStarted = performance.now();
    durable.sandbox.save();
    const compactionMs = performance.now() - compactStarted;
    // A restart that replays the whole journal: write the journal again by replaying from a fresh run's files.
    const replayDir = mkdtempSync(path.join(os.tmpdir(), 'durability-replay-'));
    const replaySource = await run(replayDir);
    const restartStarted = performance.now();
    const restarted = createSandbox({ ...quiet, dataDir: replayDir, jira: { seed: 'empty' } });
    const restartMs = performance.now() - restartStarted;
    const restoredIssues = restarted.jira.snapshot().issues.length;
    await restarted.close();
    await replaySource.sandbox.close();
    rmSync(replayDir, { recursive: true, force: true });
    await durable.sandbox.close();
    if (durable.issues !== total || memory.issues !== total || restoredIssues !== total)
      throw new Error(`expected ${total} issues: memory ${memory.issues}, durable ${durable.issues}`);

    const round = (n: number) => Math.round(n * 10) / 10;
    const result = {
      findings: total,
      inMemoryMs: round(memory.wallMs),
      durableMs: round(durable.wallMs),
      overheadPercent: round(((durable.wallMs - memory.wallMs) / memory.wallMs) * 100),
      journal: {
        entries: journal.entries,
        writes: journal.writes,
        writeMs: round(journal.writeMs),
        bytes: journal.bytes,
        entriesPerFinding: round(journal.entries / total),
      },
      compactionMs: round(compactionMs),
      restartReplayingWholeJournal: { ms: round(restartMs), entries: restarted.recovery.replayed },
      note: 'write(2) without fsync: survives a killed process, not a power cut',
    };
    console.log(JSON.stringify(result, null, 2));
    const out = path.join(REPO_ROOT, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, `durability-${total}.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
