import type { Sandbox } from '../../../sandbox';
import { sandboxClock } from '../../../sandbox/runtime/clock';
import type { SdkCallStall } from '../../../sandbox/runtime/context';
import { computeFindingKey } from '../../../src/domain/finding-state';
import { findingStateRepository } from '../../../src/storage/finding-state-repository';
import { buildFinding } from '../../builders/finding';
import {
  batch,
  createFindingsSandbox,
  findingIdsOf,
  invokeConsumer,
  jiraIssues,
  pendingSyncEvents,
  postFindings,
  quietAppLogs,
} from './findings-sandbox';

/**
 * The lane lease lasts a minute, with its expiry in the value: a consumer that died holding it blocks its lane for
 * about a minute, a slow one renews it, and one whose lease was taken over writes nothing more (`lane-leases.ts`).
 */

const findings = Array.from({ length: 4 }, (_, i) =>
  buildFinding({ id: `lease-${i}`, asset: { id: 'web', name: 'web-shop' } }),
);
const expectedIds = findings.map((f) => f.id).sort();

/** Runs the consumer with the answer to its finding-state read (the last read before it writes) held. */
function stalledConsumer(sandbox: Sandbox, event: unknown) {
  let resume!: () => void;
  let stalled!: () => void;
  const reached = new Promise<void>((resolve) => (stalled = resolve));
  const stall: SdkCallStall = {
    matches: (call) => call.target.startsWith('kvs') && call.path === '/api/v1/batch/get',
    until: new Promise<void>((resolve) => (resume = resolve)),
    onStalled: stalled,
  };
  const answer = sandbox.invoke('sync-consumer', [event, {}], {
    moduleKey: 'finding-sync-consumer',
    stallAfterSdkCall: stall,
  });
  return { reached, resume: () => resume(), answer };
}

const jiraWrites = (sandbox: Sandbox, from = 0) =>
  sandbox.sdkCalls
    .slice(from)
    .filter((c) => c.target.endsWith('jira') && c.method !== 'GET' && !c.path.includes('/search'));

const findingKeys = findings.map((f) => computeFindingKey('conviso', f.id));

describe('lane lease', () => {
  beforeAll(quietAppLogs);

  it('a consumer killed holding the lease: the redelivered event resumes the lane about a minute later', async () => {
    const reference = await createFindingsSandbox();
    await postFindings(reference, batch(findings));
    await invokeConsumer(reference, pendingSyncEvents(reference)[0]);
    const consumerCalls = reference.sdkCalls.filter((c) => c.functionKey === 'sync-consumer');
    const firstJiraCall = consumerCalls.findIndex((c) => c.target.endsWith('jira')) + 1;
    expect(firstJiraCall).toBeGreaterThan(0);

    const sandbox = await createFindingsSandbox();
    await postFindings(sandbox, batch(findings));
    const crashedAt = sandboxClock.now();
    await expect(invokeConsumer(sandbox, pendingSyncEvents(sandbox)[0], firstJiraCall)).rejects.toThrow(/terminated/);
    await sandbox.settle();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(expectedIds);
    const created = sandbox.jira.snapshot().issues.map((i) => Date.parse(i.created));
    const waitedMs = Math.min(...created) - crashedAt;
    expect(waitedMs).toBeGreaterThanOrEqual(60_000);
    expect(waitedMs).toBeLessThan(90_000);
    expect(sandbox.appLogs.entries.some((e) => e.text.includes('"leaseTakenOver":true'))).toBe(true);
  });

  it('a slow holder whose lease was taken over stops before writing: one issue per finding', async () => {
    const sandbox = await createFindingsSandbox();
    await postFindings(sandbox, batch(findings));
    const event = pendingSyncEvents(sandbox)[0];
    const slow = stalledConsumer(sandbox, event);
    await slow.reached; // it holds the lease and has read the finding states (none yet)
    sandboxClock.advance(66_000);
    await invokeConsumer(sandbox, event); // takes the lease over and syncs the chunk
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(expectedIds);
    const statesBefore = await sandbox.runAsApp(() => findingStateRepository.getMany(findingKeys));
    const callsBefore = sandbox.sdkCalls.length;

    slow.resume();
    expect(await slow.answer).toMatchObject({ _retry: true });
    expect(jiraWrites(sandbox, callsBefore)).toEqual([]);
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(expectedIds);
    const statesAfter = await sandbox.runAsApp(() => findingStateRepository.getMany(findingKeys));
    expect(statesAfter).toEqual(statesBefore);
    await sandbox.settle();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(expectedIds);
  });

  it('a slow holder nobody is waiting for renews its lease (two KVS writes) and finishes', async () => {
    const reference = await createFindingsSandbox();
    await postFindings(reference, batch(findings));
    await invokeConsumer(reference, pendingSyncEvents(reference)[0]);
    const referenceKvs = reference.sdkCalls.filter(
      (c) => c.functionKey === 'sync-consumer' && c.target.startsWith('kvs'),
    );

    const sandbox = await createFindingsSandbox();
    await postFindings(sandbox, batch(findings));
    const callsBefore = sandbox.sdkCalls.length;
    const slow = stalledConsumer(sandbox, pendingSyncEvents(sandbox)[0]);
    await slow.reached;
    sandboxClock.advance(45_000); // 15 s of the lease left: the next write renews it first
    slow.resume();
    expect(await slow.answer).toBeUndefined();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(expectedIds);
    const kvsCalls = sandbox.sdkCalls
      .slice(callsBefore)
      .filter((c) => c.functionKey === 'sync-consumer' && c.target.startsWith('kvs'));
    expect(kvsCalls.length - referenceKvs.length).toBe(2);
    expect(sandbox.appLogs.entries.some((e) => e.text.includes('"leaseRenewals":1'))).toBe(true);
  });
});
