import { kvs, WhereConditions } from './kvs-client';
import { z } from 'zod';
import { FindingSchema } from '../domain/finding';
import { batchDeleteKeys, batchSetValues } from './kvs-batch';
import { keys } from './keys';

/**
 * Findings the app could not sync for a permanent reason (Jira refused the issue, no workflow path
 * to the mapped status, ...). One record per finding (a newer failure replaces the older one), with
 * everything the admin page needs to show the problem and replay it: the finding, where it was
 * going, and Jira's field errors keyed by field id.
 */
export const DeadLetterSchema = z.object({
  findingKey: z.string(),
  findingId: z.string(),
  source: z.string(),
  lane: z.string(),
  stage: z.enum(['create', 'update', 'transition']),
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
export type DeadLetterInput = z.input<typeof DeadLetterSchema>;

export const deadLetterRepository = {
  async saveMany(letters: ReadonlyArray<DeadLetterInput>): Promise<void> {
    await batchSetValues(letters.map((letter) => ({ key: keys.deadLetter(letter.findingKey), value: letter })));
  },
  /** One page (≤ 100) of dead letters in key order; pass the cursor back for the next page. */
  async list(options: { limit?: number; cursor?: string } = {}): Promise<{ letters: DeadLetter[]; cursor?: string }> {
    let query = kvs
      .query()
      .where('key', WhereConditions.beginsWith(keys.deadLetterPrefix()))
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 100));
    if (options.cursor) query = query.cursor(options.cursor);
    const page = await query.getMany();
    const letters = page.results.flatMap((result) => {
      const parsed = DeadLetterSchema.safeParse(result.value);
      return parsed.success ? [parsed.data] : [];
    });
    return { letters, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
  },
  async get(findingKey: string): Promise<DeadLetter | undefined> {
    const parsed = DeadLetterSchema.safeParse(await kvs.get(keys.deadLetter(findingKey)));
    return parsed.success ? parsed.data : undefined;
  },
  async delete(findingKey: string): Promise<void> {
    await kvs.delete(keys.deadLetter(findingKey));
  },
  async deleteMany(findingKeys: ReadonlyArray<string>): Promise<void> {
    if (findingKeys.length > 0) await batchDeleteKeys(findingKeys.map(keys.deadLetter));
  },
};
