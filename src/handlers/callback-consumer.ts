import type { InvocationError } from '@forge/events';
import { z } from 'zod';
import { buildDeliverCallbackDeps } from '../composition';
import { deliverPlatformCallback, type CallbackDeliveryOutcome } from '../usecases/deliver-platform-callbacks';
import { parseQueueEvent } from './queue-event';
import { retryWithBackoff } from './retry-later';

/**
 * Queue consumer for `platform-callbacks` (manifest: `platform-callback-consumer`): one outbox entry
 * per event. Platform failures are retried by the use case itself (new delayed events, up to the
 * deadline); a storage or other unexpected failure asks Forge for a retry with `InvocationError`.
 */
const CallbackEventBodySchema = z.object({
  outboxId: z.string().min(1),
  partition: z.string().min(1),
  token: z.string().min(1),
  holdMs: z.number().int().min(0).optional(),
});

export async function callbackConsumer(event: unknown): Promise<CallbackDeliveryOutcome | InvocationError> {
  const { event: delivered, body } = parseQueueEvent('platform-callbacks', event, CallbackEventBodySchema);
  const deps = buildDeliverCallbackDeps();
  try {
    return await deliverPlatformCallback(body, deps);
  } catch (error) {
    const retryCount = delivered.retryContext?.retryCount ?? 0;
    deps.logger.warn('callback delivery failed unexpectedly', {
      outboxId: body.outboxId,
      retryCount,
      error: error instanceof Error ? error.message : String(error),
    });
    return retryWithBackoff(error, retryCount);
  }
}
