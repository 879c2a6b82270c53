import { Queue } from '@forge/events';
import { storageCall } from './kvs-errors';

/**
 * The `finding-sync` queue (manifest: consumer `finding-sync-consumer`). One event per inbox chunk;
 * events of one lane share a concurrency key so Forge runs them one at a time (the lane lease
 * still guards correctness when it does not).
 */
export const SYNC_QUEUE_NAME = 'finding-sync';
const MAX_EVENTS_PER_PUSH = 50;

export type SyncEventBody = { chunkKey: string; lane: string; requeues?: number };

const queue = new Queue({ key: SYNC_QUEUE_NAME });

export const syncQueue = {
  async publish(events: ReadonlyArray<SyncEventBody>, delayInSeconds?: number): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_PUSH) {
      await storageCall(() =>
        queue.push(
          events.slice(i, i + MAX_EVENTS_PER_PUSH).map((body) => ({
            body: { ...body },
            concurrency: { key: `lane-${body.lane}`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 100), limit: 1 },
            ...(delayInSeconds ? { delayInSeconds: Math.min(900, Math.max(1, Math.ceil(delayInSeconds))) } : {}),
          })),
        ),
      );
    }
  },
};
