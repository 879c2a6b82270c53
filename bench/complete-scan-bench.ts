/**
 * `npx tsx bench/complete-scan-bench.ts [--findings N] [--gone PERCENT] [--latency MS]` (also run by `npm run
 * bench`): a complete re-scan. N findings of one scope are synced; then a complete scan reports all but PERCENT % of
 * them (default 2,000 and 5 %). Reports what the re-scan costs — KVS requests and 10 KB units, queue events, Jira
 * calls and points — for the ingest, the closing job and the syncs it queues; writes
 * bench/results/complete-scan-<N>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installForgeGlobals } from '../sandbox/runtime/globals';

installForgeGlobals(); // before anything loads @forge/api

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { findings: { type: 'string' }, gone: { type: 'string' }, latency: { type: 'string' } },
  });
  const total = Number(values.findings ?? 2_000);
  const gonePercent = Number(values.gone ?? 5);
  const latencyMs = Number(values.latency ?? 5);
  const { createSandbox, REPO_ROOT } = await import('../sandbox');
  const { ensureAppSigningSecret } = await import('../src/composition');
  const { configRepository } = await import('../src/storage/config-repository');
  const { signPayload } = await import('../src/domain/signature');

  const sandbox = createSandbox({ jira: { seed: 'empty' } });
  const secret = await sandbox.runAsApp(() =>
    ensureAppSigningSecret({ initial: 'bench-secret-0123456789abcdef01234567' }),
  );
  const saved = await sandbox.runAsApp(() =>
    configRepository.save({ defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug' } }),
  );
  if (!saved.ok) throw new Error(`bench config invalid: ${JSON.stringify(saved.errors)}`);
  sandbox.jira.faults.set({ latencyMs });
  const findings = Array.from({ length: total }, (_, i) => ({
    id: `scan/${i}`,
    title: `Rule ${i % 40} matched`,
    severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[i % 5],
    asset: { id: 'web-shop', name: 'web-shop' },
    scanner: 'Semgrep',
    location: { file: `src/module-${i}.ts`, line: 1 + (i % 40) },
  }));
  const gone = Math.round((total * gonePercent) / 100);
  const still = findings.slice(0, total - gone);
  let tOffset = 0;
  const post = async (list: typeof findings, complete: boolean) => {
    for (let i = 0; i < Math.max(list.length, 1); i += 5_000) {
      const last = i + 5_000 >= list.length;
      const body = JSON.stringify({
        source: 'bench-platform',
        findings: list.slice(i, i + 5_000),
        ...(complete && last ? { scope: { asset: 'web-shop', source: 'Semgrep' }, complete: true } : {}),
      });
      const t = Math.floor(Date.now() / 1000) - tOffset++;
      const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
        headers: { 'Content-Type': 'application/json', 'X-Signature': signPayload(secret, body, t) },
        body,
      });
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${response.body?.toString()}`);
    }
    await sandbox.settle();
  };
  await post(findings, false);

  sandbox.jira.counters.reset();
  sandbox.kvs.counters.reset();
  const deliveriesBefore = sandbox.queues.deliveries.length;
  const started = performance.now();
  await post(still, true);
  const wallMs = Math.round(performance.now() - started);
  const kvs = sandbox.kvs.counters;
  const site = sandbox.jira.snapshot();
  const doneStatuses = new Set(site.statuses.filter((s) => s.categoryId === 3).map((s) => s.id));
  const done = site.issues.filter((issue) => doneStatuses.has(issue.statusId));
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const result = {
    scenario: `complete re-scan of ${total} findings (one scope), ${gonePercent} % gone`,
    findings: total,
    gone,
    closed: done.length,
    jira: {
      calls: sandbox.jira.counters.total,
      writes: sandbox.jira.counters.writes,
      points: sandbox.jira.counters.points,
      byOperation: sandbox.jira.counters.byOperation(),
      callsPerClosedFinding: round(sandbox.jira.counters.total / Math.max(gone, 1)),
    },
    kvs: {
      reads: kvs.reads,
      writes: kvs.writes,
      readUnits: kvs.readUnits,
      writeUnits: kvs.writeUnits,
      readUnitsPerFinding: round(kvs.readUnits / total),
      writeUnitsPerFinding: round(kvs.writeUnits / total),
    },
    queueEvents: sandbox.queues.deliveries.length - deliveriesBefore,
    wallMs,
    latencyMs,
    node: process.version,
  };
  const file = path.join(REPO_ROOT, 'bench', 'results', `complete-scan-${total}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  await sandbox.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
