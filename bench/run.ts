/**
 * `npm run bench [-- --name <name>] [--findings N] [--latency MS] [--quotas off|units|strict]`: the findings → Jira
 * benchmark (issue 4, "Performance"), through the sandbox and the Jira emulator with emulated latency.
 *
 * `--quotas`: off (the default) counts KVS use without refusing anything; `units` enforces Forge's 4,000 read and
 * 4,000 write 10 KB units a minute (the quota page's reading), `strict` also the batch page's 45 batch operations a
 * minute. Enforced, the quotas run on the sandbox clock: a refused request's retry wait, a 503's Retry-After and the
 * wait for the five-minute inbox sweep (and hourly check) that re-queue chunks the queue refused are skipped, not
 * slept, so each phase reports its time on that clock (`simulatedMs`, what the same run would take on Forge, compute
 * included) beside its wall time.
 * Every run also projects findings per minute under both readings from the measured cost per finding (`byReading`).
 *
 * Phases: (1) N new findings over 5 lanes (project + issue type) posted as signed batches of 1,000,
 * then synced; (2) the same N re-posted unchanged; (3) 1,000 of them changed. For each phase: Jira
 * calls (and writes) per finding, KVS requests and 10 KB units per finding, queue events per finding,
 * web trigger 202 latency, wall time. Then the projection for 10,000 findings on one installation
 * under Forge's quotas, naming the binding one; then the Jira → platform issue-event figures.
 * Prints one line per phase and a table; writes everything to bench/results/<name>.json and nothing
 * else. The app's own log lines stay in the sandbox (as in Forge's log store); their count is reported.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_POINTS_PER_HOUR } from '../sandbox/jira/points-quota';
import { installForgeGlobals } from '../sandbox/runtime/globals';

installForgeGlobals(); // before anything loads @forge/api

type Phase = {
  name: string;
  findings: number;
  accepted: number;
  duplicates: number;
  wallMs: number;
  ingestMs: number;
  syncMs: number;
  /** Time on the sandbox clock: wall time plus the quota and retry waits skipped (`--quotas`). */
  simulatedMs: number;
  /** Hourly checks the phase waited for (each also re-queues chunks, as the inbox sweep does). */
  hourlyChecks: number;
  /** Five-minute inbox sweeps the phase waited for (chunks whose queue push was refused). */
  inboxSweeps: number;
  /** Web trigger posts answered 503 (storage quota) and posted again after the Retry-After, on the sandbox clock. */
  retriedPosts: number;
  latency202Ms: { p50: number; p99: number; max: number; samples: number };
  latency202MsBySize: Record<string, { p50: number; p99: number; max: number; samples: number }>;
  jira: {
    calls: number;
    writes: number;
    callsPerFinding: number;
    writesPerFinding: number;
    byOperation: Record<string, number>;
    /** Jira's points (the emulator's model of the hourly quota: 1 per call + 1 per object read). */
    points: number;
    pointsPerFinding: number;
    pointsByOperation: Record<string, number>;
  };
  kvs: {
    reads: number;
    writes: number;
    readUnits: number;
    writeUnits: number;
    readUnitsPerFinding: number;
    writeUnitsPerFinding: number;
    requestsPerFinding: number;
    /** batch/get|set|delete requests served (the strict reading limits them to 45 a minute). */
    batchOps: number;
    batchOpsPerFinding: number;
    /** Requests refused with 429 (quota), retried by the app. */
    refused: number;
    /** Requests per path (`/api/v1/transaction`, `/api/v1/batch/get`…), refused ones included. */
    byPath: Record<string, number>;
  };
  queue: { events: number; eventsPerFinding: number };
};

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number, digits = 4) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      findings: { type: 'string' },
      latency: { type: 'string' },
      changed: { type: 'string' },
      'issue-events': { type: 'boolean' },
      quotas: { type: 'string' },
    },
  });
  // Which reading of Forge's KVS limits the sandbox enforces (on its clock: a wait is skipped, not slept).
  const quotaReading = values.quotas ?? 'off';
  if (!['strict', 'units', 'off'].includes(quotaReading)) throw new Error('--quotas is strict, units or off');
  const total = Number(values.findings ?? 10_000);
  const changedCount = Math.min(total, Number(values.changed ?? 1_000));
  const latencyMs = Number(values.latency ?? 50);
  const name = values.name ?? (total === 10_000 ? 'sandbox-10k' : `sandbox-${total}`);
  const BATCH = 1_000;
  // New findings are posted in batches of 1,000, and (from 20,000 findings on) the second half in
  // batches of 5,000, so that the 202 latency of both sizes is measured.
  const LARGE_BATCH = 5_000;
  const compact = (finding: unknown) => {
    const f = finding as { description: string };
    return { ...f, description: f.description.split('\n')[0] };
  };
  const batchesOf = (n: number, large: boolean) => {
    const sizes: number[] = [];
    for (let done = 0; done < n;) {
      const size = Math.min(large && done >= n / 2 ? LARGE_BATCH : BATCH, n - done);
      sizes.push(size);
      done += size;
    }
    return sizes;
  };

  const { createSandbox, REPO_ROOT } = await import('../sandbox');
  const { ensureAppSigningSecret } = await import('../src/composition');
  const { configRepository } = await import('../src/storage/config-repository');
  const { signPayload } = await import('../src/domain/signature');

  const { sandboxClock } = await import('../sandbox/runtime/clock');
  const { inboxRepository } = await import('../src/storage/inbox-repository');
  const sandbox = createSandbox({
    jira: { seed: 'empty' },
    kvsQuotas:
      quotaReading === 'off'
        ? { enforce: false }
        : { enforce: true, ...(quotaReading === 'units' ? { batchOperationsPerMinute: Infinity } : {}) },
  });
  const secret = await sandbox.runAsApp(() =>
    ensureAppSigningSecret({ initial: 'bench-secret-0123456789abcdef0123456789abcdef' }),
  );
  const lanes = [
    { id: 'web', pattern: 'web-*', projectKey: 'SEC', issueTypeName: 'Bug' },
    { id: 'api', pattern: 'api-*', projectKey: 'SEC', issueTypeName: 'Task' },
    { id: 'infra', pattern: 'infra-*', projectKey: 'OPS', issueTypeName: 'Task' },
    { id: 'cloud', pattern: 'cloud-*', projectKey: 'OPS', issueTypeName: 'Bug' },
    { id: 'audit', pattern: 'audit-*', projectKey: 'COMP', issueTypeName: 'Task' },
  ];
  const saved = await sandbox.runAsApp(() =>
    configRepository.save({
      mappings: lanes.map((l) => ({
        id: l.id,
        match: { assetNamePattern: l.pattern },
        projectKey: l.projectKey,
        issueTypeName: l.issueTypeName,
      })),
      fieldMappings: [
        { source: 'attributes.control', fieldId: 'customfield_10050' },
        { source: 'attributes.auditDue', fieldId: 'customfield_10051' },
        { source: 'cvss.score', fieldId: 'customfield_10042' },
      ],
    }),
  );
  if (!saved.ok) throw new Error(`bench config invalid: ${JSON.stringify(saved.errors)}`);
  sandbox.jira.faults.set({ latencyMs });

  const owners = ['alex.admin@example.com', 'morgan.member@example.com', 'dana.developer@example.com'];
  const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
  const makeFinding = (i: number, version = 0) => {
    const lane = lanes[i % lanes.length]!;
    return {
      id: `bench/${lane.id}/${i}`,
      title: `${version > 0 ? 'Confirmed: ' : ''}Use of a vulnerable dependency in module ${i}`,
      description: [
        `The component **module-${i}** uses a library with a known vulnerability.`,
        '',
        `- path: \`src/module-${i}/index.ts\``,
        `- introduced in build ${i % 97}`,
        '',
        'See the advisory for details.',
      ].join('\n'),
      severity: severities[i % severities.length],
      status: 'open',
      asset: { id: `asset-${lane.id}-${i % 20}`, name: `${lane.pattern.replace('*', '')}service-${i % 20}` },
      cve: i % 3 === 0 ? [`CVE-2024-${String(10000 + (i % 5000))}`] : [],
      cwe: ['CWE-1104'],
      cvss: { score: (i % 100) / 10, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      scanner: 'SCA',
      remediation: 'Upgrade the dependency to a fixed version.',
      references: [`https://security.example.com/advisories/${i}`],
      location: { file: `src/module-${i}/package.json`, line: 1 + (i % 40) },
      owner: { email: owners[i % owners.length] },
      url: `https://platform.example.com/findings/${i}`,
      updatedAt: new Date(Date.UTC(2024, 4, 1) + version * 86_400_000).toISOString(),
      attributes: { control: 'SOC 2 CC7.1', auditDue: '2025-12-31', team: `team-${i % 7}` },
    };
  };

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let tOffset = 0;
  let throttledWaitMs = 0;
  let retriedPosts = 0;
  const post = async (findings: unknown[]) => {
    const body = JSON.stringify({ source: 'bench-platform', findings });
    // A 503 (KVS quota) is what a platform sees when it posts faster than the quotas allow: wait as told, post again.
    for (;;) {
      // A fresh signature per attempt (the clock may have moved past the 300 s window; a re-used one is a replay).
      const t = Math.floor(Date.now() / 1000) - (tOffset++ % 240);
      const started = performance.now();
      const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
        headers: { 'Content-Type': 'application/json', 'X-Signature': signPayload(secret, body, t) },
        body,
      });
      const ms = performance.now() - started;
      const text = response.body?.toString() ?? '';
      if (response.status === 503) {
        const header = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
        const seconds = Number(Array.isArray(header) ? header[0] : header) || 10;
        throttledWaitMs += seconds * 1000;
        retriedPosts += 1;
        sandboxClock.advance(seconds * 1000); // the platform waits; on the sandbox clock the wait is skipped
        continue;
      }
      if (response.status !== 202) throw new Error(`ingest answered ${response.status}: ${text.slice(0, 500)}`);
      return { ms, receipt: JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] } };
    }
  };

  const queueEvents = () =>
    sandbox.queues.published.reduce((sum, p) => sum + (p.queueName === 'finding-sync' ? p.count : 0), 0);
  // Chunks stored but not yet synced (each has a due record until it is done).
  const chunksWaiting = async () =>
    (await sandbox.runAsApp(() => inboxRepository.listDue({ limit: 1 }))).entries.length > 0;
  let lastHourlyCheck = Date.now();
  let lastSweep = Date.now();
  /**
   * Delivers everything, then, while chunks the queue refused (500 events per minute) are still stored, lets the
   * sandbox clock reach the next five-minute inbox sweep (manifest: inbox-sweep, which re-queues them; the hourly check
   * too when its hour comes) and delivers again. Returns the scheduled runs it needed.
   */
  const syncAll = async (): Promise<{ sweeps: number; hourlyChecks: number }> => {
    let sweeps = 0;
    let hourlyChecks = 0;
    await sandbox.settle();
    while (await chunksWaiting()) {
      if (++sweeps > 6_000) throw new Error('chunks still waiting after 6,000 inbox sweeps');
      sandboxClock.advance(Math.max(0, lastSweep + 5 * 60_000 - Date.now()));
      lastSweep = Date.now();
      await sandbox.runScheduled('inbox-sweep');
      if (Date.now() - lastHourlyCheck >= 3_600_000) {
        lastHourlyCheck = Date.now();
        hourlyChecks++;
        await sandbox.runScheduled('health-check');
      }
      await sandbox.settle();
    }
    return { sweeps, hourlyChecks };
  };
  const runPhase = async (phaseName: string, findings: unknown[], large = false): Promise<Phase> => {
    sandbox.jira.counters.reset();
    sandbox.kvs.counters.reset();
    const eventsBefore = queueEvents();
    const retriedBefore = retriedPosts;
    const started = performance.now();
    const simulatedStart = Date.now();
    const latencies: number[] = [];
    const bySize = new Map<number, number[]>();
    let accepted = 0;
    let duplicates = 0;
    let offset = 0;
    for (const size of batchesOf(findings.length, large)) {
      const { ms, receipt } = await post(findings.slice(offset, offset + size));
      offset += size;
      latencies.push(ms);
      bySize.set(size, [...(bySize.get(size) ?? []), ms]);
      accepted += receipt.accepted;
      duplicates += receipt.duplicates;
    }
    const stats = (values: number[]) => ({
      p50: Math.round(percentile(values, 50)),
      p99: Math.round(percentile(values, 99)),
      max: Math.round(Math.max(...values)),
      samples: values.length,
    });
    const ingestEnded = performance.now();
    const { sweeps: inboxSweeps, hourlyChecks } = await syncAll();
    const ended = performance.now();
    const simulatedMs = Date.now() - simulatedStart;
    if (sandbox.queues.failed.length > 0)
      throw new Error(`queue events failed: ${sandbox.queues.failed.map((f) => f.reason).join('; ')}`);
    const n = findings.length;
    const jiraCalls = sandbox.jira.counters.total;
    const kvs = sandbox.kvs.counters;
    const events = queueEvents() - eventsBefore;
    const batchOps = kvs.batchOps;
    const phase: Phase = {
      name: phaseName,
      findings: n,
      accepted,
      duplicates,
      wallMs: Math.round(ended - started),
      ingestMs: Math.round(ingestEnded - started),
      syncMs: Math.round(ended - ingestEnded),
      simulatedMs,
      hourlyChecks,
      inboxSweeps,
      retriedPosts: retriedPosts - retriedBefore,
      latency202Ms: stats(latencies),
      latency202MsBySize: Object.fromEntries([...bySize].map(([size, values]) => [String(size), stats(values)])),
      jira: {
        calls: jiraCalls,
        writes: sandbox.jira.counters.writes,
        callsPerFinding: round(jiraCalls / n),
        writesPerFinding: round(sandbox.jira.counters.writes / n),
        byOperation: sandbox.jira.counters.byOperation(),
        points: sandbox.jira.counters.points,
        pointsPerFinding: round(sandbox.jira.counters.points / n),
        pointsByOperation: sandbox.jira.counters.pointsByOperation(),
      },
      kvs: {
        reads: kvs.reads,
        writes: kvs.writes,
        readUnits: kvs.readUnits,
        writeUnits: kvs.writeUnits,
        readUnitsPerFinding: round(kvs.readUnits / n),
        writeUnitsPerFinding: round(kvs.writeUnits / n),
        requestsPerFinding: round((kvs.reads + kvs.writes) / n),
        batchOps,
        batchOpsPerFinding: round(batchOps / n),
        refused: Object.values(kvs.byPath).reduce((sum, count) => sum + count, 0) - kvs.reads - kvs.writes,
        byPath: { ...kvs.byPath },
      },
      queue: { events, eventsPerFinding: round(events / n) },
    };
    console.log(
      `${phaseName}: ${n} findings, accepted ${accepted}, duplicates ${duplicates}, ${phase.wallMs} ms wall, ` +
        `${Math.round(simulatedMs / 1000)} s simulated, ${inboxSweeps} inbox sweeps, ${hourlyChecks} hourly checks, ` +
        `${phase.retriedPosts} posts retried`,
    );
    return phase;
  };

  const started = performance.now();
  // A 5,000-finding post must stay under the 4 MiB web trigger limit: the findings posted in those carry a one-line
  // description — in every phase, so that the re-post is the same content.
  const originals = Array.from({ length: total }, (_, i) =>
    total >= 20_000 && i >= total / 2 ? compact(makeFinding(i)) : makeFinding(i),
  );
  const created = await runPhase('new', originals, total >= 20_000);
  const unchanged = await runPhase(
    'unchanged re-post',
    originals.map((f) => ({ ...f, updatedAt: new Date(Date.UTC(2024, 4, 1, 12)).toISOString() })),
  );
  const changed = await runPhase(
    'changed',
    Array.from({ length: changedCount }, (_, i) => makeFinding(i, 1)),
  );
  clearInterval(sampler);
  const issueCount = sandbox.jira.snapshot().issues.length;
  if (issueCount !== total) throw new Error(`expected ${total} issues, Jira holds ${issueCount}`);

  // Projection for 10,000 new findings on one installation under Forge's quotas.
  const scale = 10_000 / created.findings;
  const quotas = {
    kvsWrites: { perMinute: 4_000, units: created.kvs.writeUnits * scale },
    kvsReads: { perMinute: 4_000, units: created.kvs.readUnits * scale },
    queueEvents: { perMinute: 500, units: created.queue.events * scale },
  };
  const minutes = Object.fromEntries(
    Object.entries(quotas).map(([k, q]) => [k, round(q.units / q.perMinute, 3)]),
  ) as Record<keyof typeof quotas, number>;
  const jiraMinutes = round((created.syncMs / 60_000) * scale, 3);
  const binding = Object.entries({ ...minutes, jira: jiraMinutes }).sort((a, b) => b[1] - a[1])[0]![0];
  // Sustained pace of new findings per installation: each quota's per-minute limit over the measured cost per finding.
  const perFinding = {
    kvsWriteUnits: created.kvs.writeUnits / created.findings,
    kvsReadUnits: created.kvs.readUnits / created.findings,
    kvsBatchOps: created.kvs.batchOps / created.findings,
    queueEvents: created.queue.events / created.findings,
  };
  const findingsPerMinuteBy = {
    kvsWrites: Math.floor(4_000 / perFinding.kvsWriteUnits),
    kvsReads: Math.floor(4_000 / perFinding.kvsReadUnits),
    queueEvents: Math.floor(500 / perFinding.queueEvents),
    jiraAtEmulatedLatency: Math.floor(created.findings / (created.syncMs / 60_000)),
  };
  const [bindingQuota, findingsPerMinute] = Object.entries(findingsPerMinuteBy).sort((a, b) => a[1] - b[1])[0]!;
  // Both readings of Forge's KVS limits, from the measured cost per finding (new findings, and an unchanged re-post):
  // the quota page's 10 KB units only, and the batch page's 45 batch operations a minute on top of them.
  const readings = (phase: Phase) => {
    const units = {
      kvsWrites: Math.floor(4_000 / (phase.kvs.writeUnits / phase.findings)),
      kvsReads: Math.floor(4_000 / (phase.kvs.readUnits / phase.findings)),
      ...(phase.queue.events > 0 ? { queueEvents: Math.floor(500 / (phase.queue.events / phase.findings)) } : {}),
      ...(phase.jira.calls > 0 ? { jiraAtEmulatedLatency: Math.floor(phase.findings / (phase.syncMs / 60_000)) } : {}),
    };
    const strict = {
      ...units,
      ...(phase.kvs.batchOps > 0 ? { kvsBatchOperations: Math.floor(45 / (phase.kvs.batchOps / phase.findings)) } : {}),
    };
    const bound = (by: Record<string, number>) => {
      const [quota, perMinute] = Object.entries(by).sort((a, b) => a[1] - b[1])[0]!;
      return { findingsPerMinute: perMinute, bindingQuota: quota, findingsPerMinuteBy: by };
    };
    return { unitsOnly: bound(units), batchOperations45: bound(strict) };
  };
  const byReading = { new: readings(created), unchangedRePost: readings(unchanged) };
  // What the run itself took on the sandbox clock, with the quotas enforced (`--quotas`).
  const simulated = {
    reading: quotaReading,
    newFindingsPerMinute: Math.floor(created.findings / (created.simulatedMs / 60_000)),
    rePostFindingsPerMinute: Math.floor(unchanged.findings / (unchanged.simulatedMs / 60_000)),
    newMinutes: round(created.simulatedMs / 60_000, 1),
    newWallMinutes: round(created.wallMs / 60_000, 1),
  };
  console.log(`readings: ${JSON.stringify(byReading)}`);
  console.log(`simulated: ${JSON.stringify(simulated)}`);
  // Jira's hourly points quota (default tier): how many findings an hour it lets through, by kind of work.
  const jiraQuota = {
    pointsPerHour: DEFAULT_POINTS_PER_HOUR,
    tier: 'Tier 1 (global pool), the emulator default',
    findingsPerHour: {
      new: perHour(created.jira.points, created.findings),
      unchangedRePost: perHour(unchanged.jira.points, unchanged.findings),
      changed: perHour(changed.jira.points, changed.findings),
    },
  };
  console.log(
    `Jira points quota (${DEFAULT_POINTS_PER_HOUR}/h): ${JSON.stringify(jiraQuota.findingsPerHour)} per hour`,
  );
  // The Health page at this history, after the hourly check has run.
  await sandbox.runScheduled('health-check');
  const { measureHealthView } = await import('./health-view');
  const healthView = await measureHealthView(sandbox);
  console.log(`health page view: ${JSON.stringify(healthView)}`);
  const result = {
    name,
    at: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}` },
    settings: {
      findings: total,
      changed: changedCount,
      batchSize: BATCH,
      lanes: lanes.length,
      jiraLatencyMs: latencyMs,
      kvsQuotas:
        quotaReading === 'off'
          ? 'counted, not enforced'
          : quotaReading === 'units'
            ? 'enforced on the sandbox clock: 4,000 read and 4,000 write 10 KB units a minute'
            : 'enforced on the sandbox clock: 4,000 read and 4,000 write 10 KB units and 45 batch operations a minute',
    },
    phases: [created, unchanged, changed],
    totalMs: Math.round(performance.now() - started),
    peakRssMb: Math.round(peakRss / 1024 / 1024),
    pace: {
      findingsPerMinute,
      bindingQuota,
      findingsPerMinuteBy,
      byReading,
      simulated,
      perFinding: {
        ...Object.fromEntries(Object.entries(perFinding).map(([k, v]) => [k, round(v)])),
        jiraCalls: created.jira.callsPerFinding,
        jiraWrites: created.jira.writesPerFinding,
        jiraPoints: created.jira.pointsPerFinding,
      },
      jiraQuota,
      limits:
        'Forge: KVS 4,000 read and 4,000 write 10 KB units per minute per installation, queue 500 events ' +
        'per minute; Jira at the emulated latency; Jira points against the hourly quota in `jiraQuota`.',
    },
    healthView: { kvsRequests: healthView.kvsRequests, readUnits: healthView.readUnits, ms: healthView.ms },
    healthViewColdMs: healthView.coldMs,
    throttledWaitMs,
    projection10k: {
      minutesByQuota: { ...minutes, jiraAtEmulatedLatency: jiraMinutes },
      binding,
      note:
        'KVS units are 10 KB per request (batch = one request); queue 500 events/min; Jira time is the ' +
        'measured sync time with the emulated latency and 4 concurrent consumers, scaled to 10,000.',
    },
  };
  const appLogLines = sandbox.appLogs.total;
  console.log(`pace: ${findingsPerMinute} findings/min, bound by ${bindingQuota}`);

  // Jira → platform: 1,000 issue events for issues the app does not manage, 100 for linked ones.
  const { runIssueEventsBench } = await import('./issue-events-bench');
  const issueEvents = await runIssueEventsBench({ latencyMs });

  const file = path.join(REPO_ROOT, 'bench', 'results', `${name}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...result, appLogLines, issueEvents }, null, 2)}\n`);

  console.log('');
  console.log(formatTable(result.phases));
  console.log('');
  const projection = JSON.stringify(result.projection10k.minutesByQuota);
  console.log(`projection for 10,000 findings (minutes): ${projection} → binding: ${binding}`);
  console.log(`issue events: ${JSON.stringify(issueEvents)}`);
  const written = path.relative(REPO_ROOT, file);
  console.log(`total ${result.totalMs} ms, peak RSS ${result.peakRssMb} MB, app log lines ${appLogLines} → ${written}`);
  await sandbox.close();
}

/** Findings an hour the default Jira points quota allows at `points` for `findings` (null: no points spent). */
function perHour(points: number, findings: number): number | null {
  return points === 0 ? null : Math.floor(DEFAULT_POINTS_PER_HOUR / (points / findings));
}

/** The README's performance table: one column per phase. */
function formatTable(phases: Phase[]): string {
  const rows: [string, (p: Phase) => string][] = [
    ['Jira calls per finding (writes)', (p) => `${p.jira.callsPerFinding} (${p.jira.writes})`],
    ['Jira points per finding (total)', (p) => `${p.jira.pointsPerFinding} (${p.jira.points})`],
    ['KVS requests per finding (read + write)', (p) => String(p.kvs.requestsPerFinding)],
    [
      'KVS 10 KB units per finding, read / write',
      (p) => `${p.kvs.readUnitsPerFinding} / ${p.kvs.writeUnitsPerFinding}`,
    ],
    ['queue events per finding', (p) => String(p.queue.eventsPerFinding)],
    [
      'web trigger 202 per batch, p50 / p99 (samples)',
      (p) => `${p.latency202Ms.p50} / ${p.latency202Ms.p99} ms (${p.latency202Ms.samples})`,
    ],
    ['wall time (ingest + sync)', (p) => `${(p.wallMs / 1000).toFixed(1)} s`],
  ];
  const header = `| measure | ${phases.map((p) => `${p.name} (${p.findings})`).join(' | ')} |`;
  const rule = `|---|${phases.map(() => '---').join('|')}|`;
  return [header, rule, ...rows.map(([label, cell]) => `| ${label} | ${phases.map(cell).join(' | ')} |`)].join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
