import { Queue } from '@forge/events';
import { storageCall } from './kvs-errors';
import type { CallbackQueue } from '../usecases/callback-ports';

/**
 * The `platform-callbacks` queue (manifest: consumer `platform-callback-consumer`). One event per
 * outbox entry; events of one issue share a concurrency key so its callbacks go out one at a time.
 * A wait longer than Forge's 900 s maximum is split: the event carries the rest as `holdMs`.
 */
export const CALLBACK_QUEUE_NAME = 'platform-callbacks';
const MAX_EVENTS_PER_PUSH = 50;
const MAX_DELAY_SECONDS = 900;

const queue = new Queue({ key: CALLBACK_QUEUE_NAME });

export function callbackConcurrencyKey(partition: string): string {
  return `cb-${partition}`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 100);
}

export const callbackQueue: CallbackQueue = {
  async publish(events) {
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_PUSH) {
      await storageCall(() =>
        queue.push(
          events.slice(i, i + MAX_EVENTS_PER_PUSH).map((event) => {
            const delaySeconds =
              event.delayMs !== undefined && event.delayMs > 0
                ? Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(event.delayMs / 1000)))
                : 0;
            const holdMs = event.delayMs !== undefined ? Math.max(0, event.delayMs - delaySeconds * 1000) : 0;
            return {
              body: {
                outboxId: event.outboxId,
                partition: event.partition,
                token: event.token,
                ...(holdMs > 0 ? { holdMs } : {}),
              },
              concurrency: { key: callbackConcurrencyKey(event.partition), limit: 1 },
              ...(delaySeconds > 0 ? { delayInSeconds: delaySeconds } : {}),
            };
          }),
        ),
      );
    }
  },
};
