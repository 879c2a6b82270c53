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
