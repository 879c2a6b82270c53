/**
 * `npx tsx bench/complete-scan-bench.ts [--findings N] [--gone PERCENT] [--latency MS]` (also run by `npm run
 * bench`): a complete re-scan. N findings of one scope are synced; then a complete scan reports all but PERCENT % of
 * them (default 2,000 and 5 %). Reports what the re-scan costs — KVS requests and 10 KB units, queue events, Jira
 * calls and points — for the ingest, the closing job and the syncs it queues; writes
 * bench/results/complete-scan-<N>.json.
 *
 * Before that, `unindexedRepost`: the N findings as an older version left them (no scope index entries, states
 * naming no scope) are re-posted unchanged in a complete post, twice — the first re-post puts them in the index
 * (`first`), the second is an ordinary duplicate (`second`).
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
  const { WhereConditions } = await import('@forge/kvs');

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
  // Each post its own signing second (the same body signed twice in one second is a replay), back from the start.
  const startedAt = Math.floor(Date.now() / 1000);
  let tOffset = 0;
  const post = async (list: typeof findings, complete: boolean) => {
    for (let i = 0; i < Math.max(list.length, 1); i += 5_000) {
      const last = i + 5_000 >= list.length;
      const body = JSON.stringify({
        source: 'bench-platform',
        findings: list.slice(i, i + 5_000),
        ...(complete && last ? { scope: { asset: 'web-shop', source: 'Semgrep' }, complete: true } : {}),
      });
      const t = startedAt - tOffset++;
      const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
        headers: { 'Content-Type': 'application/json', 'X-Signature': signPayload(secret, body, t) },
        body,
      });
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${response.body?.toString()}`);
    }
    await sandbox.settle();
  };
  await post(findings, false);

  const round = (n: number) => Math.round(n * 1000) / 1000;
  /** The cost of one step: KVS requests and units (per finding too), queue events, Jira calls and writes. */
  const measure = async (step: () => Promise<void>) => {
    sandbox.jira.counters.reset();
    sandbox.kvs.counters.reset();
    const events = sandbox.queues.deliveries.length;
    await step();
    const kvs = sandbox.kvs.counters;
    return {
      kvs: {
        reads: kvs.reads,
        writes: kvs.writes,
        readUnits: kvs.readUnits,
        writeUnits: kvs.writeUnits,
        readsPerFinding: round(kvs.reads / total),
        writesPerFinding: round(kvs.writes / total),
        readUnitsPerFinding: round(kvs.readUnits / total),
        writeUnitsPerFinding: round(kvs.writeUnits / total),
      },
      queueEvents: sandbox.queues.deliveries.length - events,
      jira: { calls: sandbox.jira.counters.total, writes: sandbox.jira.counters.writes },
    };
  };
  // What an older version left: no scope index entries, and states that name no scope.
  const { kvs: appKvs } = await import('@forge/kvs');
  await sandbox.runAsApp(async () => {
    for (const prefix of ['scope:', 'finding:']) {
      let cursor: string | undefined;
      do {
        let query = appKvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(20);
        if (cursor) query = query.cursor(cursor);
        const page = await query.getMany<Record<string, unknown>>();
        for (const { key, value } of page.results) {
          if (prefix === 'scope:') await appKvs.delete(key);
          else {
            const { scope: _scope, ...older } = value;
            await appKvs.set(key, older);
          }
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
  });
  const unindexedRepost = {
    first: await measure(() => post(findings, true)),
    second: await measure(() => post(findings, true)),
  };

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
    unindexedRepost,
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
