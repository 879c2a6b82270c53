import { InvocationError, InvocationErrorCode } from '@forge/events';
import { z } from 'zod';
import { buildDeliverCallbackDeps } from '../composition';
import { deliverPlatformCallback, type CallbackDeliveryOutcome } from '../usecases/deliver-platform-callbacks';
import { AsyncEventSchema } from './queue-event';

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
  const parsed = AsyncEventSchema.safeParse(event);
  if (!parsed.success)
    throw new Error(`platform-callbacks event has an unexpected shape: ${parsed.error.issues[0]?.message}`);
  const body = CallbackEventBodySchema.safeParse(parsed.data.body);
  if (!body.success) {
    const issue = body.error.issues[0];
    throw new Error(`platform-callbacks event body is invalid at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const deps = buildDeliverCallbackDeps();
  try {
    return await deliverPlatformCallback(body.data, deps);
  } catch (error) {
    const retryCount = parsed.data.retryContext?.retryCount ?? 0;
    deps.logger.warn('callback delivery failed unexpectedly', {
      outboxId: body.data.outboxId,
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
