import { z } from 'zod';

/** The AsyncEvent Forge passes to a consumer function (@forge/events ≥ 2). */
export const AsyncEventSchema = z.object({
  body: z.record(z.string(), z.unknown()),
  queueName: z.string(),
  jobId: z.string(),
  eventId: z.string(),
  retryContext: z
    .object({ retryCount: z.number(), retryReason: z.string(), retryData: z.unknown().optional() })
    .optional(),
});
export type AsyncEvent = z.infer<typeof AsyncEventSchema>;

/**
 * The event Forge delivered and its body, parsed. A shape the app never queues throws (Forge records it): no retry
 * can make it valid.
 */
export function parseQueueEvent<S extends z.ZodType>(
  queue: string,
  event: unknown,
  bodySchema: S,
): { event: AsyncEvent; body: z.output<S> } {
  const parsed = AsyncEventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`${queue} event has an unexpected shape: ${parsed.error.issues[0]?.message}`);
  const body = bodySchema.safeParse(parsed.data.body);
  if (!body.success) {
    const issue = body.error.issues[0];
    throw new Error(`${queue} event body is invalid at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return { event: parsed.data, body: body.data };
}
