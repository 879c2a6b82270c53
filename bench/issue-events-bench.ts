/**
 * Issue-event trigger benchmark (issue 5): what Jira issue events cost the app on a busy site.
 *
 * Phase 1: 1,000 `avi:jira:updated:issue` events for issues the app does not manage (people
 * working in Jira), through the real trigger, with 50 ms emulated Jira latency. Counted: the app's
 * Jira calls (expected 0), KVS requests and read units per event, wall time per event.
 * Phase 2: 100 status changes of linked issues → callbacks delivered to the platform emulator.
 * Counted per event: KVS reads/writes, queue events, Jira calls, callbacks.
 * Then the projected throughput under Forge's per-installation quotas (4,000 KVS reads/min,
 * 4,000 writes/min, 500 queue events/min), naming the binding one.
 *
 * `npx tsx bench/issue-events-bench.ts` runs it alone (results → bench/results/issue-events.json);
 * `runIssueEventsBench()` is what `npm run bench` calls.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installForgeGlobals } from '../sandbox/runtime/globals';

installForgeGlobals(); // before anything loads @forge/api

const round = (n: number, digits = 4) => Number(n.toFixed(digits));
const SECRET = 'bench-callback-secret-0123456789abcdefghij';

export type UnmanagedEventsFigures = {
  events: number;
  jiraCalls: number;
  kvsRequests: number;
  kvsReadUnits: number;
  kvsWrites: number;
  kvsReadUnitsPerEvent: number;
  wallMs: number;
  msPerEvent: number;
};

type Sandbox = import('../sandbox').Sandbox;

/** Drives `events` user transitions on `issues` unmanaged issues and measures what the trigger cost. */
export async function measureUnmanagedIssueEvents(
  sandbox: Sandbox,
  options: { events: number; issues?: number; latencyMs?: number },
): Promise<UnmanagedEventsFigures> {
  const issueCount = Math.min(options.issues ?? 100, options.events);
  // The cost of one delivered event, exactly: one delivery per event (no random duplicates).
  sandbox.productEvents.setSchedule({ kind: 'serial' });
  const user = sandbox.jira.as(sandbox.jira.users.developer);
  const keys: string[] = [];
  for (let i = 0; i < issueCount; i++)
    keys.push(
      (await user.create({ project: { key: 'SEC' }, issuetype: { name: 'Task' }, summary: `Unmanaged work ${i}` })).key,
    );
  await sandbox.settle();
  // In Progress ⇄ In Review: every transition is one avi:jira:updated:issue event.
  const next = new Map<string, string>();
  for (let e = 0; e < options.events; e++) {
    const key = keys[e % keys.length]!;
    const to = next.get(key) === 'In Progress' ? 'In Review' : 'In Progress';
    await user.transition(key, to);
    next.set(key, to);
  }
  const triggerEvents = sandbox.productEvents
    .pending()
    .filter((d) => d.event.eventType === 'avi:jira:updated:issue').length;
  sandbox.kvs.counters.reset();
  sandbox.jira.counters.reset();
  const sdkBefore = sandbox.sdkCalls.length;
  // Emulated Jira latency only while the app works (so any Jira call it made would show in the time).
  if (options.latencyMs) sandbox.jira.faults.set({ latencyMs: options.latencyMs });
  const started = performance.now();
  await sandbox.settle();
  const wallMs = performance.now() - started;
  if (options.latencyMs) sandbox.jira.faults.set({ latencyMs: 0 });
  const calls = sandbox.sdkCalls.slice(sdkBefore);
  const kvs = sandbox.kvs.counters;
  return {
    events: triggerEvents,
    jiraCalls: calls.filter((c) => c.target.endsWith(':jira')).length,
    kvsRequests: kvs.reads + kvs.writes,
    kvsReadUnits: kvs.readUnits,
    kvsWrites: kvs.writes,
    kvsReadUnitsPerEvent: round(kvs.readUnits / Math.max(triggerEvents, 1)),
    wallMs: Math.round(wallMs),
    msPerEvent: round(wallMs / Math.max(triggerEvents, 1), 3),
  };
}

export async function runIssueEventsBench(
  options: { events?: number; managed?: number; latencyMs?: number } = {},
): Promise<Record<string, number>> {
  const events = options.events ?? 1_000;
  const managed = options.managed ?? 100;
  const { createSandbox } = await import('../sandbox');
  const { PlatformEmulator } = await import('../sandbox/platform/platform-emulator');
  const { configRepository } = await import('../src/storage/config-repository');
  const { signingSecretRepository } = await import('../src/storage/signing-secret-repository');
  const { linkRepository } = await import('../src/storage/link-repository');
  const { asApp, route } = await import('@forge/api');

  const platform = new PlatformEmulator(SECRET);
  await platform.listen(0);
  const sandbox = createSandbox({ env: { PLATFORM_ORIGIN: platform.url }, jira: { seed: 'empty' } });
  platform.clock = () => sandbox.queues.now();
  const latencyMs = options.latencyMs ?? 50;
  try {
    await sandbox.runAsApp(async () => {
      await signingSecretRepository.createIfAbsent({ current: SECRET, createdAt: new Date().toISOString() });
      await configRepository.save({
        defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug' },
        platform: { baseUrl: platform.url },
      });
    });

    // Phase 1: unmanaged issues.
    const unmanaged = await measureUnmanagedIssueEvents(sandbox, { events, latencyMs });

    // Phase 2: linked issues moved by people → callbacks.
    const linked: string[] = [];
    await sandbox.runAsApp(async () => {
      for (let i = 0; i < managed; i++) {
        const response = await asApp().requestJira(route`/rest/api/3/issue`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({
            fields: { project: { key: 'SEC' }, issuetype: { name: 'Bug' }, summary: `Finding ${i}` },
          }),
        });
        const issue = (await response.json()) as { id: string; key: string };
        await linkRepository.saveMany([
          {
            issueId: issue.id,
            issueKey: issue.key,
            findingId: `bench-${i}`,
            source: 'bench',
            findingKey: `fk-bench-${i}`,
            projectKey: 'SEC',
            mappingId: 'default',
            linkedAt: new Date().toISOString(),
          },
        ]);
        linked.push(issue.key);
      }
    });
    await sandbox.settle();
    const user = sandbox.jira.as(sandbox.jira.users.developer);
    for (const key of linked) await user.transition(key, 'In Progress');
    sandbox.kvs.counters.reset();
    const sdkBefore = sandbox.sdkCalls.length;
    const queueBefore = sandbox.queues.deliveries.length;
    const acceptedBefore = platform.accepted().length;
    sandbox.jira.faults.set({ latencyMs });
    const started = performance.now();
    await sandbox.settle();
    const managedMs = performance.now() - started;
    sandbox.jira.faults.set({ latencyMs: 0 });
    const calls = sandbox.sdkCalls.slice(sdkBefore);
    const kvs = sandbox.kvs.counters;
    const callbacks = platform.accepted().length - acceptedBefore;
    const queueEvents = sandbox.queues.deliveries.length - queueBefore;

    const managedReadsPerEvent = kvs.readUnits / managed;
    const managedWritesPerEvent = kvs.writeUnits / managed;
    const queuePerEvent = queueEvents / managed;
    // Throughput per minute each quota allows; the smallest binds.
    const unmanagedPerMinute = 4_000 / Math.max(unmanaged.kvsReadUnitsPerEvent, 1e-9);
    const managedLimits = {
      kvsReads: 4_000 / managedReadsPerEvent,
      kvsWrites: 4_000 / managedWritesPerEvent,
      queue: 500 / queuePerEvent,
    };
    const bindingManaged = Object.entries(managedLimits).sort((a, b) => a[1] - b[1])[0]!;

    const figures: Record<string, number> = {
      'unmanaged.events': unmanaged.events,
      'unmanaged.jiraCalls': unmanaged.jiraCalls,
      'unmanaged.kvsReadUnitsPerEvent': unmanaged.kvsReadUnitsPerEvent,
      'unmanaged.kvsWrites': unmanaged.kvsWrites,
      'unmanaged.msPerEvent': unmanaged.msPerEvent,
      'unmanaged.wallMs': unmanaged.wallMs,
      jiraLatencyMs: latencyMs,
      'unmanaged.maxEventsPerMinuteUnderKvsReadQuota': Math.floor(unmanagedPerMinute),
      'managed.events': managed,
      'managed.callbacksDelivered': callbacks,
      'managed.jiraCallsPerEvent': round(calls.filter((c) => c.target.endsWith(':jira')).length / managed),
      'managed.kvsReadUnitsPerEvent': round(managedReadsPerEvent),
      'managed.kvsWriteUnitsPerEvent': round(managedWritesPerEvent),
      'managed.queueEventsPerEvent': round(queuePerEvent),
      'managed.msPerEvent': round(managedMs / managed, 3),
      'managed.maxEventsPerMinute': Math.floor(bindingManaged[1]),
      [`managed.bindingQuota.${bindingManaged[0]}`]: 1,
    };
    return figures;
  } finally {
    await sandbox.close();
    await platform.close();
  }
}

if (require.main === module) {
  void runIssueEventsBench().then((figures) => {
    const dir = path.resolve(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'issue-events.json'),
      `${JSON.stringify({ at: new Date().toISOString(), figures }, null, 2)}\n`,
    );
    console.log(JSON.stringify(figures, null, 2));
  });
}
