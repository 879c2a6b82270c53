import { z } from 'zod';
import { PlatformCallbackSchema } from './callback-events';

/**
 * A platform callback on its way (an outbox entry) and one that was not delivered before its
 * deadline or was refused for good (a dead callback). One shape each: the callback use cases write
 * them, storage checks them on read, the admin contract projects dead ones (`DeadCallbackViewSchema`).
 * `token` names the live retry chain: a queue event with another token is stale.
 */
export const OutboxEntrySchema = z.object({
  id: z.string(),
  callback: PlatformCallbackSchema,
  /** Callbacks of one partition (issue) are delivered one at a time. */
  partition: z.string(),
  createdAt: z.string(),
  attempts: z.number().int().min(0),
  /** Sum of the waits scheduled so far (see `planCallbackRetry`). */
  waitedMs: z.number().min(0),
  token: z.string(),
  lastAttemptAt: z.string().optional(),
  lastStatus: z.number().int().optional(),
  lastError: z.string().optional(),
  nextAttemptAt: z.string().optional(),
});
export type OutboxEntry = z.output<typeof OutboxEntrySchema>;

export const DeadCallbackSchema = OutboxEntrySchema.extend({ failedAt: z.string(), reason: z.string() });
export type DeadCallback = z.output<typeof DeadCallbackSchema>;
