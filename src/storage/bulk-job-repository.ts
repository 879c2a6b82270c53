import { Queue } from '@forge/events';
import { z } from 'zod';
import { BULK_JOB_KINDS, BulkJobViewSchema, type BulkJobKind, type BulkJobView } from '../contracts/admin-api';
import type { BulkJobQueue, BulkJobStore } from '../usecases/admin/bulk-jobs';
import { keys } from './keys';
import { batchGetValues } from './kvs-batch';
import { kvs } from './kvs-client';
import { storageCall } from './kvs-errors';

/**
 * Bulk admin jobs (Replay all): the latest job of each kind in `job:<kind>` (one small record the
 * Health page reads with its other keys), and the `admin-jobs` queue that runs them step by step.
 */
const JOB_TTL_DAYS = 30;
const StoredJobSchema = BulkJobViewSchema.extend({
  pausedAt: z.string().nullable().optional(),
  unqueued: z
    .array(z.object({ outboxId: z.string(), partition: z.string(), token: z.string() }))
    .max(100)
    .optional(),
});

/** The keys of the latest job of each kind, and the jobs read from them (for a read batched with others). */
export const bulkJobKeys = (): string[] => BULK_JOB_KINDS.map((kind) => keys.bulkJob(kind));
export function bulkJobsFrom(values: ReadonlyMap<string, unknown>): BulkJobView[] {
  return BULK_JOB_KINDS.flatMap((kind) => {
    const parsed = StoredJobSchema.safeParse(values.get(keys.bulkJob(kind)));
    return parsed.success ? [BulkJobViewSchema.parse(parsed.data)] : [];
  });
}

export const bulkJobRepository: BulkJobStore = {
  async get(kind) {
    const parsed = StoredJobSchema.safeParse(await kvs.get(keys.bulkJob(kind)));
    return parsed.success ? parsed.data : undefined;
  },
  async getAll() {
    return bulkJobsFrom(await batchGetValues(bulkJobKeys()));
  },
  async save(job: BulkJobView) {
    await kvs.set(keys.bulkJob(job.kind), job, { ttl: { value: JOB_TTL_DAYS, unit: 'DAYS' } });
  },
};

export const BULK_JOB_QUEUE_NAME = 'admin-jobs';
const queue = new Queue({ key: BULK_JOB_QUEUE_NAME });

export const bulkJobQueue: BulkJobQueue = {
  async publish(event: { jobId: string; kind: BulkJobKind }, delaySeconds?: number) {
    await storageCall(() =>
      queue.push([
        {
          body: { ...event },
          concurrency: { key: `job-${event.kind}`, limit: 1 },
          ...(delaySeconds ? { delayInSeconds: Math.min(900, Math.max(1, Math.ceil(delaySeconds))) } : {}),
        },
      ]),
    );
  },
};
