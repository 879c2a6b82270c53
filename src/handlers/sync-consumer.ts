import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { syncDeps } from '../composition';
import { syncFindingChunk } from '../usecases/sync/sync-chunk';
import { AsyncEventSchema } from './queue-event';

/**
 * Queue consumer for `finding-sync` (manifest: `finding-sync-consumer`): one event = one inbox
 * chunk. A transient failure returns InvocationError with `retryAfter` (Retry-After honoured);
 * anything unexpected is thrown so Forge records the failure.
 */
const SyncEventBodySchema = z.object({
  chunkKey: z.string().min(1).max(500),
  lane: z.string().min(1).max(200),
  requeues: z.number().int().min(0).optional(),
  dueAt: z.iso.datetime().optional(),
});

const RETRY_REASONS = {
  'rate-limited': InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
  'storage-rate-limited': InvocationErrorCode.FUNCTION_PLATFORM_RATE_LIMITED,
  'upstream-unavailable': InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  'lane-busy': InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  'search-index-lag': InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  'jira-quota': InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
  'queue-refused': InvocationErrorCode.FUNCTION_RETRY_REQUEST,
} as const;

export async function syncConsumer(event: unknown): Promise<InvocationError | void> {
  const parsed = AsyncEventSchema.safeParse(event);
  if (!parsed.success)
    throw new Error(`finding-sync event has an unexpected shape: ${parsed.error.issues[0]?.message}`);
  const body = SyncEventBodySchema.safeParse(parsed.data.body);
  if (!body.success)
    throw new Error(
      `finding-sync event body is invalid: ${body.error.issues[0]?.path.join('.')} ${body.error.issues[0]?.message}`,
    );
  const result = await syncFindingChunk(
    {
      chunkKey: body.data.chunkKey,
      lane: body.data.lane,
      requeues: body.data.requeues ?? 0,
      ...(body.data.dueAt ? { dueAt: body.data.dueAt } : {}),
      retryCount: parsed.data.retryContext?.retryCount ?? 0,
    },
    syncDeps(),
  );
  if (result.kind === 'retry') {
    return new InvocationError({
      retryAfter: result.retryAfterSeconds,
      retryReason: RETRY_REASONS[result.reason],
      retryData: { reason: result.reason, message: result.message.slice(0, 500) },
    });
  }
}
