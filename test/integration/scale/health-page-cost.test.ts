/**
 * One Health page view on a busy installation: a generated 30-day history of 1,000,000 findings
 * (roll-ups as the hourly check leaves them, 5,000 dead letters, 1,000 dead callbacks, a callback
 * backlog) costs at most 10 KVS requests and 50 KVS read units, whatever the history. Its time
 * (≤ 1 s) is measured by `npm run bench:scale` (result `healthView.ms`), not asserted here: these
 * machines are shared and a timed test flakes under load; the request and unit counts bound it.
 */
import { createSandbox, type Sandbox } from '../../../sandbox';
import { seedHistory, type SeededHistory } from '../../../sandbox/seed-history';

let sandbox: Sandbox;
let seeded: SeededHistory;
let admin: string;

beforeAll(async () => {
  sandbox = createSandbox({ jira: { seed: 'empty' } });
  admin = sandbox.jira.users.admin;
  seeded = await seedHistory(sandbox, { findings: 1_000_000 });
}, 120_000);
afterAll(async () => sandbox?.close());

type Answer = { ok: true; data: any } | { ok: false; error: { code: string; message: string } };
const call = (key: string, payload: unknown = {}) =>
  sandbox.callResolver(key, payload, { accountId: admin }) as Promise<Answer>;
async function expectOk(key: string, payload: unknown = {}): Promise<any> {
  const answer = await call(key, payload);
  if (!answer.ok) throw new Error(`${key} answered ${JSON.stringify(answer.error)}`);
  return answer.data;
}

describe('a Health page view at a million findings a month', () => {
  it('shows the 30-day totals and first pages for ≤ 10 KVS requests, ≤ 50 read units', async () => {
    // A first view loads (and, under jest, compiles) the app's modules; the second is the one measured.
    await Promise.all([expectOk('health/get'), expectOk('callbacks/health')]);
    sandbox.kvs.counters.reset();
    const started = performance.now();
    // What the Health tab loads: health/get and callbacks/health, at once.
    const [health, callbacks] = await Promise.all([expectOk('health/get'), expectOk('callbacks/health')]);
    const ms = performance.now() - started;
    const { reads, writes, readUnits } = sandbox.kvs.counters;
    console.log('health page view', { kvsRequests: reads + writes, readUnits, ms: Math.round(ms) });

    expect(health.counts).toMatchObject({ accepted: 1_000_000, created: seeded.created, failed: seeded.deadLetters });
    expect(health.countsIncomplete).toBe(false);
    expect(health.deadLetters).toHaveLength(20);
    expect(health.deadLettersCursor).toEqual(expect.any(String));
    expect(health.outboxBacklog).toBe(20);
    expect(health.outboxBacklogMore).toBe(true);
    expect(callbacks.deadCallbacks).toHaveLength(20);
    expect(callbacks.deadCallbacksCursor).toEqual(expect.any(String));

    expect(writes).toBe(0);
    // Measured 7: the remembered admin check (1 per resolver), one batch (roll-ups, last check, configuration,
    // jobs, quota pause), and one page each of dead letters, outbox, dead callbacks and unmapped statuses.
    expect(reads + writes).toBeLessThanOrEqual(10);
    expect(readUnits).toBeLessThanOrEqual(50);
  });

  it('pages dead letters and dead callbacks 20 at a time, each page one KVS request (+ the admin check)', async () => {
    const first = await expectOk('health/get');
    sandbox.kvs.counters.reset();
    const second = await expectOk('dead-letters/list', { cursor: first.deadLettersCursor });
    // One request for the page, one for the caller's remembered admin check.
    expect(sandbox.kvs.counters.reads).toBe(2);
    expect(second.deadLetters).toHaveLength(20);
    const seen = new Set(first.deadLetters.map((l: { findingKey: string }) => l.findingKey));
    for (const letter of second.deadLetters) expect(seen.has(letter.findingKey)).toBe(false);

    const callbacks = await expectOk('callbacks/health');
    const next = await expectOk('callbacks/list-dead', { cursor: callbacks.deadCallbacksCursor });
    expect(next.deadCallbacks).toHaveLength(20);
    expect(next.deadCallbacks[0].id).not.toBe(callbacks.deadCallbacks[0].id);
  });
});
