import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { bulkJobDeps, scanCloseDeps } from '../composition';
import { closeMissingFindings } from '../usecases/close-missing-findings';
import { BULK_JOB_KINDS } from '../contracts/admin-api';
import { runBulkJobStep } from '../usecases/admin/bulk-jobs';
import { AsyncEventSchema } from './queue-event';

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
  const parsed = AsyncEventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`admin-jobs event has an unexpected shape: ${parsed.error.issues[0]?.message}`);
  const body = AdminJobEventSchema.safeParse(parsed.data.body);
  if (!body.success)
    throw new Error(
      `admin-jobs event body is invalid at ${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message}`,
    );
  const job = body.data;
  try {
    if ('scanClose' in job) await closeMissingFindings({ scanId: job.scanClose, force: job.force }, scanCloseDeps());
    else await runBulkJobStep(job, bulkJobDeps());
  } catch (error) {
    const retryCount = parsed.data.retryContext?.retryCount ?? 0;
    console.warn('bulk job step failed', {
      ...('scanClose' in job ? { scanId: job.scanClose } : { jobId: job.jobId, kind: job.kind }),
      retryCount,
      error: error instanceof Error ? error.message : String(error),
    });
    if (retryCount >= 4) throw error;
    return new InvocationError({
      retryAfter: Math.min(900, 30 * 2 ** retryCount),
      retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
    });
  }
}
