/**
 * `npx tsx bench/grouped-bench.ts [--findings N] [--groups G] [--latency MS] [--big-group M]` (also run by `npm run
 * bench`): grouping by rule — N new findings in G groups (one mapping, `grouping: rule`), posted as
 * signed batches of 1,000, in two orders: sorted by rule (as scanners emit SARIF results) and
 * interleaved (each batch of 1,000 names every group; ingest puts a group's members of one batch
 * together in its chunks). Then the same findings re-posted unchanged. A third run puts `--big-group`
 * findings (default 5,000) in one group, whose record is paged over several KVS values. Reports Jira
 * calls, writes and points (Jira's hourly quota model, sandbox/jira/points-quota.ts) and KVS requests and
 * units per finding; writes bench/results/grouped-<N>.json. Defaults: 10,000 findings in 200 groups.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installForgeGlobals } from '../sandbox/runtime/globals';

installForgeGlobals(); // before anything loads @forge/api

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string' },
      groups: { type: 'string' },
      latency: { type: 'string' },
      'big-group': { type: 'string' },
    },
  });
  const total = Number(values.findings ?? 10_000);
  const groups = Number(values.groups ?? 200);
  const latencyMs = Number(values.latency ?? 5);
  const bigGroup = Number(values['big-group'] ?? 5_000);
  const { createSandbox, REPO_ROOT } = await import('../sandbox');
  const { ensureAppSigningSecret } = await import('../src/composition');
  const { configRepository } = await import('../src/storage/config-repository');
  const { signPayload } = await import('../src/domain/signature');

  type Order = 'sorted by rule' | 'interleaved' | 'one big group';
  const runOrder = async (order: Order, total: number, groups: number) => {
    const sandbox = createSandbox({ jira: { seed: 'empty' } });
    const secret = await sandbox.runAsApp(() =>
      ensureAppSigningSecret({ initial: 'bench-secret-0123456789abcdef01234567' }),
    );
    const saved = await sandbox.runAsApp(() =>
      configRepository.save({
        mappings: [
          {
            id: 'web',
            match: { assetNamePattern: 'web-*' },
            projectKey: 'SEC',
            issueTypeName: 'Bug',
            grouping: 'rule',
          },
        ],
      }),
    );
    if (!saved.ok) throw new Error(`bench config invalid: ${JSON.stringify(saved.errors)}`);
    sandbox.jira.faults.set({ latencyMs });
    const perGroup = Math.ceil(total / groups);
    const ruleOf = (i: number) => (order === 'sorted by rule' ? Math.floor(i / perGroup) : i % groups);
    const findings = Array.from({ length: total }, (_, i) => ({
      id: `grouped/${i}`,
      title: `Rule ${ruleOf(i)} matched`,
      severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[i % 5],
      asset: { id: 'web-shop', name: 'web-shop' },
      scanner: 'Semgrep',
      location: { file: `src/module-${i}.ts`, line: 1 + (i % 40) },
      attributes: { ruleId: `rule-${ruleOf(i)}` },
      updatedAt: '2024-05-01T00:00:00Z',
    }));
    let tOffset = 0;
    const phase = async (name: string) => {
      sandbox.jira.counters.reset();
      sandbox.kvs.counters.reset();
      const started = performance.now();
      for (let i = 0; i < findings.length; i += 1_000) {
        const body = JSON.stringify({ source: 'bench-platform', findings: findings.slice(i, i + 1_000) });
        const t = Math.floor(Date.now() / 1000) - tOffset++;
        const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
          headers: { 'Content-Type': 'application/json', 'X-Signature': signPayload(secret, body, t) },
          body,
        });
        if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
      }
      await sandbox.settle();
      const calls = sandbox.jira.counters.total;
      const writes = sandbox.jira.counters.writes;
      const points = sandbox.jira.counters.points;
      const kvs = sandbox.kvs.counters;
      const kvsRequests = kvs.reads + kvs.writes;
      const result = {
        order,
        phase: name,
        findings: total,
        groups,
        jiraCalls: calls,
        jiraWrites: writes,
        jiraPoints: points,
        callsPerFinding: Number((calls / total).toFixed(4)),
        writesPerFinding: Number((writes / total).toFixed(4)),
        pointsPerFinding: Number((points / total).toFixed(4)),
        byOperation: sandbox.jira.counters.byOperation(),
        kvs: {
          requests: kvsRequests,
          reads: kvs.reads,
          writes: kvs.writes,
          readUnits: kvs.readUnits,
          writeUnits: kvs.writeUnits,
          requestsPerFinding: Number((kvsRequests / total).toFixed(3)),
          readUnitsPerFinding: Number((kvs.readUnits / total).toFixed(3)),
          writeUnitsPerFinding: Number((kvs.writeUnits / total).toFixed(3)),
        },
        wallMs: Math.round(performance.now() - started),
      };
      console.log(
        `${order} / ${name}: ${calls} Jira calls (${result.callsPerFinding}/finding), ` +
          `${writes} writes, ${points} points (${result.pointsPerFinding}/finding); KVS ${kvsRequests} requests ` +
          `(${result.kvs.requestsPerFinding}/finding), ${kvs.readUnits} read / ${kvs.writeUnits} write units; ` +
          `${result.wallMs} ms`,
      );
      return result;
    };
    const out = [await phase('new'), await phase('unchanged re-post')];
    await sandbox.close();
    return out;
  };

  const results = [
    ...(await runOrder('sorted by rule', total, groups)),
    ...(await runOrder('interleaved', total, groups)),
    // A group past one KVS value (≈ 850 members): its record is paged (src/domain/group-pages.ts).
    ...(await runOrder('one big group', bigGroup, 1)),
  ];
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `grouped-${total}.json`);
  writeFileSync(file, JSON.stringify({ latencyMs, node: process.version, results }, null, 2) + '\n');
  console.log(`written ${path.relative(REPO_ROOT, file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
