import { createCallbackKit, type CallbackKit } from './callback-kit';
import { buildDeliverCallbackDeps } from '../../../src/composition';
import { outboxRepository } from '../../../src/storage/outbox-repository';
import {
  replayAllDeadCallbacks,
  replayDeadCallback,
  requeueStalledCallbacks,
} from '../../../src/usecases/deliver-platform-callbacks';

const HOUR = 3600_000;

describe('Jira → platform: the outbox and the callback consumer', () => {
  let kit: CallbackKit;
  afterEach(async () => kit.close());

  it('a platform outage of an hour loses nothing: everything is delivered once afterwards', async () => {
    kit = await createCallbackKit();
    // About the outage, not ordering: the deleted issue's update must reach the app before its deletion.
    kit.sandbox.productEvents.setSchedule({ kind: 'serial' });
    const issues = [];
    for (let i = 0; i < 5; i++) issues.push(await kit.linkIssue({ findingId: `OUT-${i}` }));
    await kit.sandbox.settle();
    const start = kit.sandbox.queues.now();
    kit.platform.setFault({ kind: 'fail', status: 503 }, { untilMs: start + HOUR });
    const dev = kit.sandbox.jira.as(kit.users.developer);
    for (const issue of issues) await dev.transition(issue.issueKey, 'In Progress');
    await kit.sandbox.jira.as(kit.users.admin).delete(issues[4]!.issueKey);
    await kit.sandbox.settle();

    const refused = kit.platform.received.filter((c) => c.answeredWith === 503);
    expect(refused.length).toBeGreaterThanOrEqual(5 * 6); // retried all along the outage
    const accepted = kit.platform.accepted().filter((c) => (c.clockMs ?? 0) > start);
    expect(Math.min(...accepted.map((c) => c.clockMs!))).toBeGreaterThanOrEqual(start + HOUR);
    // Five status changes (the deleted issue's too: it happened) and one deletion, each accepted exactly once.
    const counts = new Map<string, number>();
    for (const c of accepted)
      counts.set(c.headers['idempotency-key']!, (counts.get(c.headers['idempotency-key']!) ?? 0) + 1);
    expect(counts.size).toBe(6);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(kit.statusCallbacks()).toHaveLength(5);
    expect(kit.acceptedOfType('finding.issue_deleted')).toHaveLength(1);
    expect(await kit.kvsKeys('cb:out:')).toEqual([]);
    expect(await kit.kvsKeys('cb:dead:')).toEqual([]);
    // Backoff grows: the waits between one callback's attempts never shrink (jitter stays within its step).
    const one = kit.platform.received
      .filter((c) => c.headers['idempotency-key'] === [...counts.keys()][0])
      .map((c) => c.clockMs!);
    const gaps = one.slice(1).map((t, i) => t - one[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(15_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30 * 60_000 + 1000);
    expect(gaps[gaps.length - 2]!).toBeGreaterThan(gaps[0]!);
  });

  it('honours Retry-After on 429', async () => {
    kit = await createCallbackKit();
    const { issueKey } = await kit.linkIssue({ findingId: 'RL-1' });
    await kit.sandbox.settle();
    kit.platform.setFault({ kind: 'rate-limit', retryAfterSeconds: 600 }, { times: 1 });
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    await kit.sandbox.settle();
    const attempts = kit.platform.received.filter(
      (c) => (c.json as { type: string }).type === 'finding.status_changed',
    );
    expect(attempts.map((c) => c.answeredWith)).toEqual([429, 202]);
    expect(attempts[1]!.clockMs! - attempts[0]!.clockMs!).toBeGreaterThanOrEqual(600_000);
  });

  it('after the deadline a callback becomes a dead letter the admin can see and replay', async () => {
    kit = await createCallbackKit({
      config: (url) => ({
        defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug' },
        platform: { baseUrl: url, deadlineSeconds: 1800 },
      }),
    });
    const { issueKey } = await kit.linkIssue({ findingId: 'DL-1' });
    await kit.sandbox.settle();
    kit.platform.setFault({ kind: 'fail', status: 500 });
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    await kit.sandbox.settle();
    expect(kit.statusCallbacks()).toEqual([]);
    const dead = await kit.sandbox.runAsApp(() => outboxRepository.listDead());
    expect(dead.letters).toHaveLength(1);
    expect(dead.letters[0]).toMatchObject({
      callback: { type: 'finding.status_changed', findingStatus: 'in_progress' },
      lastStatus: 500,
      reason: expect.stringContaining('Not delivered within 30 minutes'),
    });
    expect(await kit.kvsKeys('cb:out:')).toEqual([]);

    kit.platform.setFault({ kind: 'none' });
    const replayed = await kit.sandbox.runAsApp(() =>
      replayDeadCallback(dead.letters[0]!.id, buildDeliverCallbackDeps()),
    );
    expect(replayed).toEqual({ ok: true });
    await kit.sandbox.settle();
    expect(kit.statusCallbacks().map((b) => b['findingStatus'])).toEqual(['in_progress']);
    expect(await kit.kvsKeys('cb:dead:')).toEqual([]);
    expect(await kit.sandbox.runAsApp(() => replayAllDeadCallbacks(buildDeliverCallbackDeps()))).toEqual({
      replayed: 0,
    });
  });

  it('a refused callback (4xx other than 408/425/429) is a dead letter at once', async () => {
    kit = await createCallbackKit();
    const { issueKey } = await kit.linkIssue({ findingId: 'R-1' });
    await kit.sandbox.settle();
    kit.platform.setFault({ kind: 'fail', status: 422 }, { times: 1 });
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    await kit.sandbox.settle();
    const dead = await kit.sandbox.runAsApp(() => outboxRepository.listDead());
    expect(dead.letters.map((l) => l.attempts)).toEqual([1]);
    expect(dead.letters[0]!.reason).toContain('refused the callback (422)');
  });

  it('a lost queue event is recovered by the stalled-callback sweep', async () => {
    kit = await createCallbackKit();
    const { issueKey } = await kit.linkIssue({ findingId: 'L-1' });
    await kit.sandbox.settle();
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    await kit.sandbox.productEvents.drain({ skipWaits: true });
    const lost = kit.sandbox.queues.pending('platform-callbacks');
    expect(lost).toHaveLength(1);
    lost.splice(0); // the pending list is a copy: drop the event for real below
    (kit.sandbox.queues as unknown as { pendingEvents: unknown[] }).pendingEvents.length = 0;
    await kit.sandbox.settle();
    expect(kit.statusCallbacks()).toEqual([]);
    const swept = await kit.sandbox.runAsApp(() =>
      requeueStalledCallbacks({ ...buildDeliverCallbackDeps(), now: () => new Date(Date.now() + HOUR) }),
    );
    expect(swept).toEqual({ requeued: 1 });
    await kit.sandbox.settle();
    expect(kit.statusCallbacks()).toHaveLength(1);
  });

  it('a platform URL outside the manifest egress allowlist: refused by Forge, a dead letter at once', async () => {
    kit = await createCallbackKit({
      config: () => ({
        defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug' },
        platform: { baseUrl: 'https://elsewhere.example.net' },
      }),
    });
    await kit.linkIssue({ findingId: 'EG-1' });
    await kit.sandbox.settle();
    expect(kit.sandbox.egressLog).toEqual([
      expect.objectContaining({ url: expect.stringContaining('https://elsewhere.example.net/'), allowed: false }),
    ]);
    const dead = await kit.sandbox.runAsApp(() => outboxRepository.listDead());
    expect(dead.letters).toEqual([expect.objectContaining({ reason: expect.stringContaining('egress allowlist') })]);
    expect(kit.platform.received).toEqual([]);
  });
});
