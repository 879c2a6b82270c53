import { seededRandom } from '../jira/search-index';

/**
 * Delivers Jira product events to the app's `trigger` modules as Forge does:
 * - only to triggers subscribed to the event type;
 * - `filter.ignoreSelf: true` drops events caused by the app's own writes (`selfGenerated`);
 * - asynchronous and at least once, in no guaranteed order, possibly in parallel (Forge's product
 *   events documentation): by default (`schedule: 'chaotic'`) the due deliveries are shuffled, run
 *   up to `concurrency` at a time, and a share of them (`duplicateRate`) is delivered twice, on a
 *   seeded, reproducible schedule; `'serial'` (`npm start -- --events-serial`, demos) delivers one
 *   at a time in order. A test can also hold events back, reorder them or deliver one twice;
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
  /** Why a delivery failed (outcome `error`). */
  message?: string;
}

export const MAX_TRIGGER_RETRIES = 4;

export interface DeliverySchedule {
  kind: 'chaotic' | 'serial';
  /** Seed of the shuffle and of the duplicates (chaotic only). */
  seed: number;
  /** Share of events delivered twice (chaotic only; guessed: Forge documents "at least once", no rate). */
  duplicateRate: number;
  /** Deliveries running at once (chaotic only; guessed). */
  concurrency: number;
}

export const DEFAULT_EVENT_SEED = 11;

export function defaultDeliverySchedule(): DeliverySchedule {
  return { kind: 'chaotic', seed: DEFAULT_EVENT_SEED, duplicateRate: 0.1, concurrency: 8 };
}

/** `--events-serial` (one at a time, in order, no duplicates) and `--events-seed=N` for `npm start`. */
export function parseEventFlags(
  argv: string[],
): { ok: true; schedule: DeliverySchedule } | { ok: false; error: string } {
  const schedule = defaultDeliverySchedule();
  for (const arg of argv) {
    if (arg === '--events-serial') schedule.kind = 'serial';
    else if (arg.startsWith('--events-seed=')) {
      const seed = Number(arg.slice('--events-seed='.length));
      if (!Number.isInteger(seed) || seed < 0) return { ok: false, error: `--events-seed must be a whole number ≥ 0` };
      schedule.seed = seed;
    } else if (arg.startsWith('--events-'))
      return { ok: false, error: `Unknown flag ${arg} (known: --events-serial, --events-seed=N)` };
  }
  return { ok: true, schedule };
}

export class ProductEventDispatcher {
  private nextId = 1;
  private queue: PendingDelivery[] = [];
  private readonly running = new Set<Promise<void>>();
  private clockOffset = 0;
  readonly log: DispatchRecord[] = [];
  /** When true (the default in `npm start`), events are delivered as soon as they are emitted. */
  autoDeliver = false;
  /** A test's own choice of events to deliver twice (on top of the schedule's random duplicates). */
  duplicateDelivery: (event: ProductEvent) => boolean = () => false;
  private scheduleSettings = defaultDeliverySchedule();
  private random = seededRandom(this.scheduleSettings.seed);

  constructor(
    private readonly triggers: TriggerSubscription[],
    private readonly deliver: (delivery: PendingDelivery) => Promise<TriggerOutcome>,
    /** The sandbox's clock (shared with the queue broker), so a skipped wait moves time for both. */
    private readonly clock?: { now(): number; advance(ms: number): void },
  ) {}

  get schedule(): Readonly<DeliverySchedule> {
    return this.scheduleSettings;
  }

  /** Changes the delivery schedule (and restarts its seeded sequence). */
  setSchedule(partial: Partial<DeliverySchedule>): void {
    this.scheduleSettings = { ...this.scheduleSettings, ...partial };
    this.random = seededRandom(this.scheduleSettings.seed);
  }

  private now(): number {
    return this.clock ? this.clock.now() : Date.now() + this.clockOffset;
  }

  private skip(ms: number): void {
    if (this.clock) this.clock.advance(ms);
    else this.clockOffset += ms;
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
      const chaotic = this.scheduleSettings.kind === 'chaotic';
      if (this.duplicateDelivery(event) || (chaotic && this.random() < this.scheduleSettings.duplicateRate))
        this.queue.push({ ...delivery, id: this.nextId++ });
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
        ...(outcome.kind === 'error' ? { message: outcome.message } : {}),
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

  /** Delivers everything due (per the schedule); in tests, waits are skipped. */
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
        this.skip(next - this.now());
        continue;
      }
      if (this.scheduleSettings.kind === 'serial') {
        const delivery = due[0]!;
        this.queue.splice(this.queue.indexOf(delivery), 1);
        this.start(delivery);
      } else {
        // Forge: no guaranteed order, possibly in parallel. A seeded shuffle, a batch at a time.
        for (let i = due.length - 1; i > 0; i--) {
          const j = Math.floor(this.random() * (i + 1));
          [due[i], due[j]] = [due[j]!, due[i]!];
        }
        for (const delivery of due.slice(0, Math.max(1, this.scheduleSettings.concurrency))) {
          this.queue.splice(this.queue.indexOf(delivery), 1);
          this.start(delivery);
        }
      }
      await Promise.all(this.running);
    }
  }
}
