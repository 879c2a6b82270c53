import { kvs } from '@forge/kvs';
import { PartialSuccessError, Queue, RateLimitError } from '@forge/events';
import { createProbeSandbox } from '../sandbox/probe-sandbox';

// Forge's async-event limits as the real @forge/events package raises them.
describe('async events: cyclic invocation limit, partial success, RateLimitError', () => {
  it('one chain may push 1,000 events; the 1,001st raises InvocationLimitReachedError', async () => {
    const sandbox = createProbeSandbox();
    sandbox.queues.enforceRateLimit = false; // the 500/min rate is tested on its own
    await sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'chain', chainLeft: 1200 } }));
    await sandbox.settle();
    const refused = await sandbox.runAsApp(() => kvs.get('push-refused:chain'));
    // Push 1 came from the test invocation (it starts the chain); pushes 2..1000 from consumers.
    expect(refused).toEqual({ error: 'InvocationLimitReachedError', chainLeft: 1200 - 999 });
    expect(sandbox.queues.deliveries).toHaveLength(1000);
  });

  it('a new invocation (not an event delivery) starts a new chain', async () => {
    const sandbox = createProbeSandbox();
    sandbox.queues.enforceRateLimit = false;
    await sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'a', chainLeft: 999 } }));
    await sandbox.settle();
    expect(await sandbox.runAsApp(() => kvs.get('push-refused:a'))).toBeUndefined();
    await sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'b', chainLeft: 5 } }));
    await sandbox.settle();
    expect(await sandbox.runAsApp(() => kvs.get('push-refused:b'))).toBeUndefined();
  });

  it("under the 'depth' reading, 1,000 generations are allowed however wide the chain is", async () => {
    const sandbox = createProbeSandbox();
    sandbox.queues.enforceRateLimit = false;
    sandbox.queues.chainLimitReading = 'depth';
    await sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'deep', chainLeft: 1000 } }));
    await sandbox.settle();
    expect(await sandbox.runAsApp(() => kvs.get('push-refused:deep'))).toEqual({
      error: 'InvocationLimitReachedError',
      chainLeft: 1,
    });
  });

  it('partial success raises PartialSuccessError naming the events that were not recorded', async () => {
    const sandbox = createProbeSandbox();
    sandbox.queues.partialNextPush = { acceptFirst: 2 };
    const error = await sandbox
      .runAsApp(() => new Queue({ key: 'probe-queue' }).push([1, 2, 3].map((n) => ({ body: { id: `p${n}` } }))))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(PartialSuccessError);
    expect((error as PartialSuccessError).failedEvents).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ body: { id: 'p3' } }) }),
    ]);
    expect(sandbox.queues.pending('probe-queue').map((e) => e.body['id'])).toEqual(['p1', 'p2']);
  });

  it('a refused push raises RateLimitError and queues nothing', async () => {
    const sandbox = createProbeSandbox();
    sandbox.queues.failNextPushes = 1;
    await expect(
      sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'r' } })),
    ).rejects.toBeInstanceOf(RateLimitError);
    expect(sandbox.queues.pending()).toEqual([]);
    await expect(
      sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'r' } })),
    ).resolves.toMatchObject({ jobId: expect.any(String) });
  });
});
