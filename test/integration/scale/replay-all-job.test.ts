/**
 * Replay all over 1,000 dead callbacks runs as a background job: the resolver only queues it — a
 * few KVS requests, the same for 1,000 dead callbacks as for one, so its time cannot grow with the
 * backlog (timings are printed; the bench measures them, a timed assertion would flake on a busy
 * machine) — the `admin-jobs` consumer replays them in steps of 100 and saves its progress, and the
 * platform receives each callback exactly once, across a pause at Forge's 1,000 pushes per event chain.
 */
import { seedHistory } from '../../../sandbox/seed-history';
import { bulkJobRepository } from '../../../src/storage/bulk-job-repository';
import { createCallbackKit, type CallbackKit } from '../callbacks/callback-kit';
import { quietAppLogs } from '../findings/findings-sandbox';

let kit: CallbackKit;
beforeAll(quietAppLogs);
afterAll(async () => kit?.close());

type Answer = { ok: true; data: any } | { ok: false; error: { code: string; message: string } };
const timings: Array<{ key: string; ms: number; kvsRequests: number }> = [];
async function expectOk(key: string, payload: unknown = {}): Promise<any> {
  const counters = kit.sandbox.kvs.counters;
  const before = counters.reads + counters.writes;
  const started = performance.now();
  const answer = (await kit.sandbox.callResolver(key, payload, { accountId: kit.users.admin })) as Answer;
  timings.push({ key, ms: performance.now() - started, kvsRequests: counters.reads + counters.writes - before });
  if (!answer.ok) throw new Error(`${key} answered ${JSON.stringify(answer.error)}`);
  return answer.data;
}

describe('Replay all as a background job', () => {
  it('replays 1,000 dead callbacks in steps, a few KVS requests per resolver call, each delivered once', async () => {
    kit = await createCallbackKit();
    await seedHistory(kit.sandbox, { findings: 0, deadLetters: 0, deadCallbacks: 1_000, pendingCallbacks: 0 });
    // Warm up (module loading under jest is not the resolver's cost).
    expect((await expectOk('callbacks/health')).deadCallbacks).toHaveLength(20);
    await expectOk('health/get');
    timings.length = 0;

    const job = await expectOk('callbacks/replay-all');
    expect(job).toMatchObject({ kind: 'replay-dead-callbacks', status: 'queued', processed: 0 });
    // Pressed again while it runs: the same job, not a second one.
    expect((await expectOk('callbacks/replay-all')).id).toBe(job.id);

    // The page follows the job. Its steps' 1,000+ pushes exceed Forge's limit per event chain, so the job pauses once;
    // the page's next read (a new chain) resumes it.
    await kit.sandbox.settle();
    const paused = await kit.sandbox.runAsApp(() => bulkJobRepository.get('replay-dead-callbacks'));
    expect(paused).toMatchObject({ status: 'running', message: expect.stringMatching(/Paused at Forge's limit/) });
    let done = await expectOk('jobs/get', { kind: 'replay-dead-callbacks' });
    for (let read = 0; done.status !== 'done' && read < 5; read++) {
      await kit.sandbox.settle();
      done = await expectOk('jobs/get', { kind: 'replay-dead-callbacks' });
    }
    expect(done).toMatchObject({ id: job.id, status: 'done', processed: 1_000, failed: 0, message: null });
    const steps = kit.sandbox.queues.deliveries.filter((d) => d.queueName === 'admin-jobs');
    expect(steps.length).toBeGreaterThanOrEqual(10);

    const ids = kit.platform.received.map((c) => (c.json as { id: string }).id);
    expect(ids).toHaveLength(1_000);
    expect(new Set(ids).size).toBe(1_000);
    const health = await expectOk('callbacks/health');
    expect(health.deadCallbacks).toEqual([]);
    expect((await expectOk('health/get')).jobs).toEqual([expect.objectContaining({ id: job.id, status: 'done' })]);

    const shown = timings.map((t) => `${t.key} ${Math.round(t.ms)} ms / ${t.kvsRequests} KVS requests`);
    process.stdout.write(`resolver calls: ${shown.join(', ')}\n`);
    // A page of 20 and the job record at most: nothing proportional to the 1,000 dead callbacks.
    for (const timing of timings) expect(timing.kvsRequests).toBeLessThanOrEqual(10);
    // 1,000 signed deliveries through the outbox: ~40 s on an idle 2-core machine, 260 s seen under a
    // load average of 25. The limit only has to catch a job that never finishes.
  }, 600_000);
});
