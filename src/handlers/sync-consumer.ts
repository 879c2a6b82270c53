import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { syncDeps } from '../composition';
import { syncFindingChunk } from '../usecases/sync/sync-chunk';
import { parseQueueEvent } from './queue-event';

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
  const { event: delivered, body } = parseQueueEvent('finding-sync', event, SyncEventBodySchema);
  const result = await syncFindingChunk(
    {
      chunkKey: body.chunkKey,
      lane: body.lane,
      requeues: body.requeues ?? 0,
      ...(body.dueAt ? { dueAt: body.dueAt } : {}),
      retryCount: delivered.retryContext?.retryCount ?? 0,
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
