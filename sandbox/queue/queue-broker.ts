import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { jsonResponse, type ServiceRequest, type ServiceResponse } from '../http/types';

/**
 * Forge async events (`@forge/events` Queue + `consumer` modules), emulated:
 * - the publish path the package uses (`POST /webhook/queue/publish/...`, 201 on success) with Forge's
 *   limits: ≤ 50 events and ≤ 200 KB per push (413), delay ≤ 900 s, 500 events per minute per
 *   installation (429 → the package's RateLimitError);
 * - at-least-once delivery: a test can ask for events to be delivered twice;
 * - retries: a consumer that returns an `InvocationError` is invoked again after `retryAfter`
 *   seconds with `retryContext {retryCount, retryReason, retryData}`, at most 4 retries; a timeout is
 *   retried with reason FUNCTION_TIME_OUT and a crash (the sandbox's simulated kill) with
 *   FUNCTION_PLATFORM_UNKNOWN_ERROR; an event that exhausts its retries, or whose consumer
 *   throws, is recorded as failed (Forge drops it: the app must not rely on throwing);
 * - consumer concurrency: at most `maxConcurrency` invocations at once, and per `concurrency.key`
 *   at most its `limit`.
 * Time is the broker's clock; `drain()` jumps over waits so tests never sleep.
 */

export const MAX_EVENTS_PER_PUSH = 50;
export const MAX_PUSH_BYTES = 200 * 1024;
export const MAX_DELAY_SECONDS = 900;
export const MAX_RETRIES = 4;
export const EVENTS_PER_MINUTE = 500;
/**
 * Cyclic invocation limit ("Error handling for Forge async events": InvocationLimitReachedError, "an
 * event pushed another event into the queue more than 1000 times"). The page does not say whether
 * the 1,000 counts every push in the chain or its depth: the sandbox counts every event pushed in a
 * chain started by one non-event invocation (the stricter reading, default); `chainLimitReading:
 * 'depth'` counts generations instead. Over the limit the push answers 405, which the package turns
 * into InvocationLimitReachedError.
 */
export const MAX_CHAIN_PUSHES = 1000;

const PushRequestSchema = z.object({
  queueName: z.string().regex(/^[a-zA-Z0-9-_]+$/),
  jobId: z.string().min(1),
  type: z.string(),
  schema: z.string(),
  time: z.string(),
  payload: z
    .array(
      z.object({
        body: z.record(z.string(), z.unknown()),
        delayInSeconds: z.number().min(0).max(MAX_DELAY_SECONDS).optional(),
        concurrency: z.object({ key: z.string().min(1), limit: z.number().int().min(1) }).optional(),
      }),
    )
    .min(1),
});

export interface RetryContext {
  retryCount: number;
  retryReason: string;
  retryData?: unknown;
}

export interface QueuedEvent {
  eventId: string;
  jobId: string;
  queueName: string;
  body: Record<string, unknown>;
  delayInSeconds?: number;
  concurrency?: { key: string; limit: number };
  deliverAt: number;
  retryContext?: RetryContext;
  /** The chain this event belongs to; absent in snapshots from before chains were tracked. */
  chain?: { id: string; depth: number };
}

export type ConsumerOutcome =
  | { kind: 'ok' }
  | { kind: 'retry'; retryAfterSeconds: number; retryReason: string; retryData?: unknown }
  | { kind: 'error'; message: string }
  | { kind: 'timeout' }
  | { kind: 'crash' };

export interface DeliveryRecord {
  eventId: string;
  queueName: string;
  attempt: number;
  outcome: ConsumerOutcome['kind'];
  at: number;
  duplicate: boolean;
}

export interface QueueBrokerOptions {
  /** The queues that have a consumer in the manifest. */
  consumers: Map<string, string>;
  deliver(functionKey: string, event: QueuedEvent & { queueName: string }): Promise<ConsumerOutcome>;
  /** The sandbox's clock (`runtime/clock.ts`): a skipped wait moves time for everything. Default: its own. */
  clock?: { now(): number; advance(ms: number): void };
  maxConcurrency?: number;
  state?: QueueState;
  /**
   * Told when an event is accepted or re-queued for a retry (`put`, with its delivery time) and when the
   * platform is done with it (`done`: delivered, or given up); the sandbox's write-ahead journal.
   */
  onChange?: (change: { kind: 'put'; event: QueuedEvent } | { kind: 'done'; eventId: string }) => void;
}

export interface QueueState {
  /** Events not yet done, including those being delivered (redelivered after a restart: at least once). */
  pending: QueuedEvent[];
}

export class QueueBroker {
  private pendingEvents: QueuedEvent[];
  private readonly publishTimes: number[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightByKey = new Map<string, number>();
  /** Events being delivered (not duplicates), by id: still owed if the process dies now. */
  private readonly delivering = new Map<string, QueuedEvent>();
  private clockOffset = 0;
  private timer?: NodeJS.Timeout;
  readonly deliveries: DeliveryRecord[] = [];
  readonly failed: { event: QueuedEvent; reason: string }[] = [];
  readonly published: { queueName: string; count: number; at: number }[] = [];
  /** Events pushed so far per chain id (the 'total' reading of the cyclic invocation limit). */
  private readonly chainPushes = new Map<string, number>();
  chainLimitReading: 'total' | 'depth' = 'total';
  /** The cyclic invocation limit; tests lower it to reach it in a few pushes. */
  maxChainPushes = MAX_CHAIN_PUSHES;
  /** Test switch: refuse the next N pushes with 429 (RateLimitError), whatever the rate. */
  failNextPushes = 0;
  /** Test switch: accept only the first `acceptFirst` events of the next push (202 partial success). */
  partialNextPush?: { acceptFirst: number };
  /** Test switches: deliver each matching event one extra time; enforce the per-minute rate. */
  duplicateDelivery: (event: QueuedEvent) => boolean = () => false;
  enforceRateLimit = true;
  maxConcurrency: number;

  constructor(private readonly options: QueueBrokerOptions) {
    this.pendingEvents = options.state?.pending ?? [];
    this.maxConcurrency = options.maxConcurrency ?? 4;
  }

  now(): number {
    return this.options.clock ? this.options.clock.now() : Date.now() + this.clockOffset;
  }

  snapshot(): QueueState {
    return { pending: [...this.delivering.values(), ...this.pendingEvents].map((e) => ({ ...e })) };
  }

  pending(queueName?: string): QueuedEvent[] {
    return this.pendingEvents.filter((e) => !queueName || e.queueName === queueName);
  }

  /**
   * Serves `POST /webhook/queue/publish/...` from `@forge/events`. `from` is the publishing
   * invocation's chain (absent when it is not an event delivery: a new chain starts).
   */
  publish(request: ServiceRequest, from?: { id: string; depth: number }): ServiceResponse {
    let json: unknown;
    try {
      json = JSON.parse(request.body ?? '');
    } catch {
      return jsonResponse(400, { message: 'Request body is not valid JSON' });
    }
    const raw = json as { payload?: unknown[] };
    if (Array.isArray(raw?.payload) && raw.payload.length > MAX_EVENTS_PER_PUSH) {
      return jsonResponse(413, {
        errorMessage: `The maximum number of events allowed per request is ${MAX_EVENTS_PER_PUSH}.`,
      });
    }
    if (Buffer.byteLength(JSON.stringify(raw?.payload ?? [])) > MAX_PUSH_BYTES) {
      return jsonResponse(413, { errorMessage: 'The maximum payload size allowed per request is 200KB.' });
    }
    const parsed = PushRequestSchema.safeParse(json);
    if (!parsed.success) {
      return jsonResponse(400, {
        message: 'Invalid push request',
        errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const push = parsed.data;
    const now = this.now();
    while (this.publishTimes.length && this.publishTimes[0]! <= now - 60_000) this.publishTimes.shift();
    if (this.enforceRateLimit && this.publishTimes.length + push.payload.length > EVENTS_PER_MINUTE) {
      return jsonResponse(429, { message: 'Rate limit exceeded' });
    }
    if (this.failNextPushes > 0) {
      this.failNextPushes -= 1;
      return jsonResponse(429, { message: 'Rate limit exceeded' });
    }
    const chain = { id: from?.id ?? randomUUID(), depth: (from?.depth ?? 0) + 1 };
    const chainCount = (this.chainPushes.get(chain.id) ?? 0) + push.payload.length;
    if (this.chainLimitReading === 'total' ? chainCount > this.maxChainPushes : chain.depth > this.maxChainPushes) {
      return jsonResponse(405, { message: 'The limit on cyclic invocation has been reached.' });
    }
    for (let i = 0; i < push.payload.length; i++) this.publishTimes.push(now);
    if (!this.options.consumers.has(push.queueName)) {
      return jsonResponse(400, {
        message: `No consumer is defined for queue '${push.queueName}'`,
        code: 'QUEUE_NOT_FOUND',
      });
    }
    const partial = this.partialNextPush;
    this.partialNextPush = undefined;
    const acceptedCount = partial ? Math.min(partial.acceptFirst, push.payload.length) : push.payload.length;
    this.chainPushes.set(chain.id, (this.chainPushes.get(chain.id) ?? 0) + acceptedCount);
    for (const event of push.payload.slice(0, acceptedCount)) {
      const queued: QueuedEvent = {
        eventId: randomUUID(),
        jobId: push.jobId,
        queueName: push.queueName,
        body: event.body,
        delayInSeconds: event.delayInSeconds,
        concurrency: event.concurrency,
        deliverAt: now + (event.delayInSeconds ?? 0) * 1000,
        chain,
      };
      this.pendingEvents.push(queued);
      this.options.onChange?.({ kind: 'put', event: queued });
    }
    this.published.push({ queueName: push.queueName, count: acceptedCount, at: now });
    this.kick();
    if (acceptedCount < push.payload.length) {
      const failedEvents = push.payload
        .slice(acceptedCount)
        .map((_, offset) => ({ index: String(acceptedCount + offset), errorMessage: 'The event was not recorded.' }));
      return jsonResponse(202, { failedEvents });
    }
    return { status: 201, headers: { 'content-type': 'application/json' }, body: '{}' };
  }

  private canStart(event: QueuedEvent): boolean {
    if (this.inFlight.size >= this.maxConcurrency) return false;
    if (event.concurrency) {
      const running = this.inFlightByKey.get(event.concurrency.key) ?? 0;
      if (running >= event.concurrency.limit) return false;
    }
    return true;
  }

  /** Starts every due event that concurrency allows; returns how many were started. */
  private startDue(): number {
    const now = this.now();
    let started = 0;
    const due = this.pendingEvents.filter((e) => e.deliverAt <= now).sort((a, b) => a.deliverAt - b.deliverAt);
    for (const event of due) {
      if (!this.canStart(event)) continue;
      this.pendingEvents.splice(this.pendingEvents.indexOf(event), 1);
      this.run(event, false);
      if (this.duplicateDelivery(event)) this.run({ ...event }, true);
      started++;
    }
    return started;
  }

  private run(event: QueuedEvent, duplicate: boolean): void {
    const key = event.concurrency?.key;
    if (key) this.inFlightByKey.set(key, (this.inFlightByKey.get(key) ?? 0) + 1);
    const functionKey = this.options.consumers.get(event.queueName)!;
    if (!duplicate) this.delivering.set(event.eventId, event);
    const task = (async () => {
      let outcome: ConsumerOutcome;
      try {
        outcome = await this.options.deliver(functionKey, event);
      } catch (error) {
        outcome = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
      }
      const attempt = (event.retryContext?.retryCount ?? 0) + 1;
      this.deliveries.push({
        eventId: event.eventId,
        queueName: event.queueName,
        attempt,
        outcome: outcome.kind,
        at: this.now(),
        duplicate,
      });
      if (duplicate) return; // the original delivery owns the retry bookkeeping
      if (outcome.kind === 'retry' || outcome.kind === 'timeout' || outcome.kind === 'crash') {
        const retryCount = (event.retryContext?.retryCount ?? 0) + 1;
        if (retryCount > MAX_RETRIES) {
          this.failed.push({ event, reason: `gave up after ${MAX_RETRIES} retries (${outcome.kind})` });
          this.finish(event);
          return;
        }
        const retryAfterSeconds =
          outcome.kind === 'retry' ? Math.min(Math.max(outcome.retryAfterSeconds, 1), MAX_DELAY_SECONDS) : 1;
        this.requeue({
          ...event,
          deliverAt: this.now() + retryAfterSeconds * 1000,
          retryContext: {
            retryCount,
            retryReason:
              outcome.kind === 'retry'
                ? outcome.retryReason
                : outcome.kind === 'timeout'
                  ? 'FUNCTION_TIME_OUT'
                  : 'FUNCTION_PLATFORM_UNKNOWN_ERROR',
            retryData: outcome.kind === 'retry' ? outcome.retryData : undefined,
          },
        });
        return;
      }
      if (outcome.kind === 'error') {
        this.failed.push({ event, reason: outcome.message });
      }
      this.finish(event);
    })().finally(() => {
      this.inFlight.delete(task);
      if (key) this.inFlightByKey.set(key, (this.inFlightByKey.get(key) ?? 1) - 1);
      this.kick();
    });
    this.inFlight.add(task);
  }

  /** Puts an event back for a retry: pending again, and journalled with its new delivery time. */
  private requeue(event: QueuedEvent): void {
    this.delivering.delete(event.eventId);
    this.pendingEvents.push(event);
    this.options.onChange?.({ kind: 'put', event });
  }

  /** The platform is done with the event (delivered, or given up on). */
  private finish(event: QueuedEvent): void {
    this.delivering.delete(event.eventId);
    this.options.onChange?.({ kind: 'done', eventId: event.eventId });
  }

  /** Real-time mode (`npm start`): deliver as events fall due. */
  startTimer(intervalMs = 200): void {
    this.timer ??= setInterval(() => this.startDue(), intervalMs);
    this.timer.unref?.();
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private kick(): void {
    if (this.timer) setImmediate(() => this.startDue());
  }

  /**
   * Delivers until nothing is pending or in flight. Waits (delays, retryAfter) are skipped by
   * moving the broker's clock forward; `maxSteps` bounds runaway retry loops.
   */
  async drain(options: { maxSteps?: number } = {}): Promise<void> {
    const maxSteps = options.maxSteps ?? 100_000;
    for (let step = 0; step < maxSteps; step++) {
      this.startDue();
      if (this.inFlight.size > 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      if (this.pendingEvents.length === 0) return;
      const next = Math.min(...this.pendingEvents.map((e) => e.deliverAt));
      if (next > this.now()) this.advance(next - this.now());
    }
    throw new Error(`queue drain did not settle within ${maxSteps} steps`);
  }

  /** Moves the broker's clock (for tests of delays and retry schedules). */
  advance(ms: number): void {
    if (this.options.clock) this.options.clock.advance(ms);
    else this.clockOffset += ms;
  }
}
