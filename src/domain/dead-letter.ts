import { z } from 'zod';
import { FindingSchema } from './finding';

/**
 * A finding the app could not sync for a permanent reason (Jira refused the issue, no workflow path
 * to the mapped status, ...): one record per finding (a newer failure replaces the older one), with
 * everything the admin page needs to show the problem and replay it — the finding, where it was
 * going, and Jira's field errors keyed by field id. The one shape of the concept: the sync writes
 * it, storage checks it on read, the admin contract projects it (`DeadLetterViewSchema`).
 */

export const DEAD_LETTER_STAGES = ['create', 'update', 'transition'] as const;
export type DeadLetterStage = (typeof DEAD_LETTER_STAGES)[number];

export const DeadLetterSchema = z.object({
  findingKey: z.string(),
  findingId: z.string(),
  source: z.string(),
  lane: z.string(),
  stage: z.enum(DEAD_LETTER_STAGES),
  reason: z.string(),
  status: z.number().int().optional(),
  /** Jira's `errors`: field id → message. */
  fieldErrors: z.record(z.string(), z.string()).default({}),
  errorMessages: z.array(z.string()).default([]),
  issueKey: z.string().optional(),
  failedAt: z.string(),
  /** The finding as received, for a replay. */
  finding: FindingSchema,
});
export type DeadLetter = z.output<typeof DeadLetterSchema>;
