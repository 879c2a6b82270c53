import type { InvocationError } from '@forge/events';
import { z } from 'zod';
import { bulkJobDeps, scanCloseDeps } from '../composition';
import { closeMissingFindings } from '../usecases/close-missing-findings';
import { BULK_JOB_KINDS } from '../contracts/admin-api';
import { runBulkJobStep } from '../usecases/admin/bulk-jobs';
import { parseQueueEvent } from './queue-event';
import { retryWithBackoff } from './retry-later';

const BulkJobEventSchema = z.object({ jobId: z.string().min(1).max(100), kind: z.enum(BULK_JOB_KINDS) });
/** A complete scan's closing (queued by the ingest, or by an admin's Apply with `force`). */
const ScanCloseEventSchema = z.object({ scanClose: z.string().min(1).max(100), force: z.boolean().optional() });
const AdminJobEventSchema = z.union([BulkJobEventSchema, ScanCloseEventSchema]);

/**
 * Queue consumer for `admin-jobs` (manifest: `admin-job-consumer`): one step of a bulk admin job
 * (Replay all), or a complete scan's closing. A failed step asks Forge for a retry; the step is
 * idempotent (replayed items have left the dead letters; a closing plans again), so a retry continues
 * where it stopped.
 */
export async function adminJobConsumer(event: unknown): Promise<InvocationError | void> {
  const { event: delivered, body: job } = parseQueueEvent('admin-jobs', event, AdminJobEventSchema);
  try {
    if ('scanClose' in job) await closeMissingFindings({ scanId: job.scanClose, force: job.force }, scanCloseDeps());
    else await runBulkJobStep(job, bulkJobDeps());
  } catch (error) {
    const retryCount = delivered.retryContext?.retryCount ?? 0;
    console.warn('bulk job step failed', {
      ...('scanClose' in job ? { scanId: job.scanClose } : { jobId: job.jobId, kind: job.kind }),
      retryCount,
      error: error instanceof Error ? error.message : String(error),
    });
    return retryWithBackoff(error, retryCount);
  }
}
