import {
  InvocationError,
  InvocationErrorCode,
  PayloadTooBigError,
  Queue,
  RateLimitError,
  TooManyEventsError,
  InvalidPushSettingsError,
} from '@forge/events';
import { kvs } from '@forge/kvs';
import { createProbeSandbox } from './probe-sandbox';

async function consumedKeys(sandbox: ReturnType<typeof createProbeSandbox>, id: string) {
  return sandbox.runAsApp(async () => {
    const page = await kvs
      .query()
      .where('key', { condition: 'BEGINS_WITH', values: [`consumed:${id}:`] })
      .limit(20)
      .getMany();
    return page.results.map((r) => ({ key: r.key, value: r.value as { retryData: unknown } }));
  });
}

describe('async events through the real @forge/events package', () => {
  it('delivers a pushed event to the consumer named in the manifest, with the AsyncEvent fields', async () => {
    const sandbox = createProbeSandbox();
    const { jobId } = await sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'one' } }));
    expect(sandbox.queues.pending('probe-queue')).toHaveLength(1);
    await sandbox.settle();
    const keys = await consumedKeys(sandbox, 'one');
    expect(keys).toHaveLength(1);
    expect(sandbox.queues.deliveries).toEqual([
      expect.objectContaining({ queueName: 'probe-queue', attempt: 1, outcome: 'ok', duplicate: false }),
    ]);
    expect(sandbox.queues.published[0]).toMatchObject({ queueName: 'probe-queue', count: 1 });
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('raises the package errors for Forge push limits', async () => {
    const sandbox = createProbeSandbox();
    const queue = () => new Queue({ key: 'probe-queue' });
    const events = (n: number) => Array.from({ length: n }, (_, i) => ({ body: { id: `e${i}` } }));
    await expect(sandbox.runAsApp(() => queue().push(events(51)))).rejects.toBeInstanceOf(TooManyEventsError);
    await expect(
      sandbox.runAsApp(() => queue().push({ body: { id: 'big', blob: 'x'.repeat(201 * 1024) } })),
    ).rejects.toBeInstanceOf(PayloadTooBigError);
    await expect(
      sandbox.runAsApp(() => queue().push({ body: { id: 'late' }, delayInSeconds: 901 })),
    ).rejects.toBeInstanceOf(InvalidPushSettingsError);
    // 500 events per minute per installation: the 501st is refused by the service (429 → RateLimitError).
    for (let i = 0; i < 10; i++) await sandbox.runAsApp(() => queue().push(events(50)));
    await expect(sandbox.runAsApp(() => queue().push(events(1)))).rejects.toBeInstanceOf(RateLimitError);
  });

  it('retries a consumer that returns InvocationError, after retryAfter, with retryContext and retryData', async () => {
    const sandbox = createProbeSandbox();
    const before = sandbox.queues.now();
    await sandbox.runAsApp(() =>
      new Queue({ key: 'probe-queue' }).push({ body: { id: 'flaky', retries: 2, retryAfter: 120 } }),
    );
    await sandbox.settle();
    const keys = (await consumedKeys(sandbox, 'flaky')).sort((a, b) => a.key.localeCompare(b.key));
    expect(keys.map((k) => k.key.split(':')[2])).toEqual(['1', '2', '3']);
    expect(keys.map((k) => k.value.retryData)).toEqual([null, { attempt: 1 }, { attempt: 2 }]);
    expect(sandbox.queues.deliveries.map((d) => d.outcome)).toEqual(['retry', 'retry', 'ok']);
    // Two waits of 120 s were honoured on the broker's clock.
    expect(sandbox.queues.now() - before).toBeGreaterThanOrEqual(240_000);
  });

  it('gives up after 4 retries and records the event as failed', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(() =>
      new Queue({ key: 'probe-queue' }).push({ body: { id: 'hopeless', retries: 99, retryAfter: 1 } }),
    );
    await sandbox.settle();
    expect(sandbox.queues.deliveries).toHaveLength(5);
    expect(sandbox.queues.failed).toEqual([expect.objectContaining({ reason: expect.stringContaining('4 retries') })]);
  });

  it('records a consumer that throws as failed without retrying it', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'thrower', throws: true } }));
    await sandbox.settle();
    expect(sandbox.queues.deliveries.map((d) => d.outcome)).toEqual(['error']);
    expect(sandbox.queues.failed[0]?.reason).toBe('probe consumer failure');
  });

  it('redelivers an event whose consumer crashed midway (after its first SDK call)', async () => {
    const sandbox = createProbeSandbox();
    sandbox.invoker.crashNextInvocation('consume', 1);
    await sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'crash' } }));
    await sandbox.settle();
    expect(sandbox.invoker.history.map((h) => h.outcome)).toEqual(['killed', 'ok']);
    expect(sandbox.queues.deliveries.map((d) => d.outcome)).toEqual(['crash', 'ok']);
    expect((await consumedKeys(sandbox, 'crash')).map((k) => k.key.split(':')[2])).toEqual(['1', '2']);
  });

  it('can deliver an event twice (at-least-once)', async () => {
    const sandbox = createProbeSandbox();
    sandbox.queues.duplicateDelivery = () => true;
    await sandbox.runAsApp(() => new Queue({ key: 'probe-queue' }).push({ body: { id: 'twice' } }));
    await sandbox.settle();
    expect(sandbox.queues.deliveries.map((d) => d.duplicate).sort()).toEqual([false, true]);
    expect(new Set(sandbox.queues.deliveries.map((d) => d.eventId)).size).toBe(1); // the same event, twice
    expect(await consumedKeys(sandbox, 'twice')).toHaveLength(1);
  });

  it('respects the concurrency limit of a concurrency key', async () => {
    const sandbox = createProbeSandbox();
    let running = 0;
    let peak = 0;
    const original = sandbox.invoker.invoke.bind(sandbox.invoker);
    sandbox.invoker.invoke = async (...args) => {
      running++;
      peak = Math.max(peak, running);
      try {
        return await original(...args);
      } finally {
        running--;
      }
    };
    await sandbox.runAsApp(() =>
      new Queue({ key: 'probe-queue' }).push(
        Array.from({ length: 6 }, (_, i) => ({
          body: { id: `c${i}`, sleepMs: 20 },
          concurrency: { key: 'k', limit: 2 },
        })),
      ),
    );
    await sandbox.settle();
    expect(sandbox.queues.deliveries).toHaveLength(6);
    expect(peak).toBe(2);
  });

  it('keeps InvocationError the way the package serialises it', () => {
    expect(new InvocationError({ retryAfter: 5, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST })).toEqual({
      _retry: true,
      retryOptions: { retryAfter: 5, retryReason: 'FUNCTION_RETRY_REQUEST' },
    });
  });
});
