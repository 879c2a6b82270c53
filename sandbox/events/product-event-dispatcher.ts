/**
 * Delivers Jira product events to the app's `trigger` modules as Forge does:
 * - only to triggers subscribed to the event type;
 * - `filter.ignoreSelf: true` drops events caused by the app's own writes (`selfGenerated`);
 * - asynchronous and at least once: a test can hold events back, reorder them or deliver one twice;
 * - a handler that returns an `InvocationError` is retried after `retryAfter` (≤ 900 s), at most 4
 *   times; a handler that throws is recorded as failed (not retried).
 */

export interface ProductEvent {
  eventType: string;
  selfGenerated: boolean;
  payload: Record<string, unknown>;
}

export interface TriggerSubscription {
  key: string;
  functionKey: string;
  events: string[];
  ignoreSelf: boolean;
}

export type TriggerOutcome =
  | { kind: 'ok' }
  | { kind: 'retry'; retryAfterSeconds: number; retryData?: unknown }
  | { kind: 'error'; message: string };

export interface PendingDelivery {
  id: number;
  trigger: TriggerSubscription;
  event: ProductEvent;
  attempt: number;
  retryData?: unknown;
  notBefore: number;
}

export interface DispatchRecord {
  id: number;
  triggerKey: string;
  eventType: string;
  selfGenerated: boolean;
  outcome: 'filtered' | TriggerOutcome['kind'];
  attempt: number;
}

export const MAX_TRIGGER_RETRIES = 4;

export class ProductEventDispatcher {
  private nextId = 1;
  private queue: PendingDelivery[] = [];
  private readonly running = new Set<Promise<void>>();
  private clockOffset = 0;
  readonly log: DispatchRecord[] = [];
  /** When true (the default in `npm start`), events are delivered as soon as they are emitted. */
  autoDeliver = false;
  duplicateDelivery: (event: ProductEvent) => boolean = () => false;

  constructor(
    private readonly triggers: TriggerSubscription[],
    private readonly deliver: (delivery: PendingDelivery) => Promise<TriggerOutcome>,
  ) {}

  private now(): number {
    return Date.now() + this.clockOffset;
  }

  emit(event: ProductEvent): void {
    for (const trigger of this.triggers) {
      if (!trigger.events.includes(event.eventType)) continue;
      if (trigger.ignoreSelf && event.selfGenerated) {
        this.log.push({
          id: this.nextId++,
          triggerKey: trigger.key,
          eventType: event.eventType,
          selfGenerated: true,
          outcome: 'filtered',
          attempt: 0,
        });
        continue;
      }
      const delivery = { id: this.nextId++, trigger, event, attempt: 1, notBefore: this.now() };
      this.queue.push(delivery);
      if (this.duplicateDelivery(event)) this.queue.push({ ...delivery, id: this.nextId++ });
    }
    if (this.autoDeliver) void this.drain();
  }

  /** Events waiting for delivery, oldest first. Tests may reorder them with `reorder`. */
  pending(): readonly PendingDelivery[] {
    return this.queue;
  }

  reorder(compare: (a: PendingDelivery, b: PendingDelivery) => number): void {
    this.queue.sort(compare);
  }

  private start(delivery: PendingDelivery): void {
    const task = (async () => {
      let outcome: TriggerOutcome;
      try {
        outcome = await this.deliver(delivery);
      } catch (error) {
        outcome = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
      }
      this.log.push({
        id: delivery.id,
        triggerKey: delivery.trigger.key,
        eventType: delivery.event.eventType,
        selfGenerated: delivery.event.selfGenerated,
        outcome: outcome.kind,
        attempt: delivery.attempt,
      });
      if (outcome.kind === 'retry' && delivery.attempt <= MAX_TRIGGER_RETRIES) {
        this.queue.push({
          ...delivery,
          attempt: delivery.attempt + 1,
          retryData: outcome.retryData,
          notBefore: this.now() + Math.min(Math.max(outcome.retryAfterSeconds, 1), 900) * 1000,
        });
        if (this.autoDeliver) {
          const wait = setTimeout(
            () => void this.drain(),
            Math.min(Math.max(outcome.retryAfterSeconds, 1), 900) * 1000,
          );
          wait.unref?.();
        }
      }
    })().finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Delivers everything due (sequentially, in queue order); in tests, waits are skipped. */
  async drain(options: { skipWaits?: boolean } = { skipWaits: !this.autoDeliver }): Promise<void> {
    for (;;) {
      const due = this.queue.filter((d) => d.notBefore <= this.now());
      if (due.length === 0) {
        if (this.running.size) {
          await Promise.all(this.running);
          continue;
        }
        if (this.queue.length === 0 || !options.skipWaits) return;
        const next = Math.min(...this.queue.map((d) => d.notBefore));
        this.clockOffset += next - this.now();
        continue;
      }
      const delivery = due[0]!;
      this.queue.splice(this.queue.indexOf(delivery), 1);
      this.start(delivery);
      await Promise.all(this.running);
    }
  }
}
