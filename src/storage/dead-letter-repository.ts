import { kvs } from './kvs-client';
import { DeadLetterSchema, type DeadLetter } from '../domain/dead-letter';
import type { DeadLetterStore } from '../usecases/ports';
import type { DeadLetterReader } from '../usecases/admin/admin-ports';
import { batchDeleteKeys, batchSetValues } from './kvs-batch';
import { queryPrefixPage } from './kvs-scan';
import { keys } from './keys';

/** Dead letters of findings (see domain/dead-letter.ts), one key per finding. */
export const deadLetterRepository: DeadLetterStore & DeadLetterReader = {
  async saveMany(letters: ReadonlyArray<DeadLetter>): Promise<void> {
    await batchSetValues(letters.map((letter) => ({ key: keys.deadLetter(letter.findingKey), value: letter })));
  },
  /** One page (≤ 100) of dead letters in key order; pass the cursor back for the next page. */
  async list(options: { limit?: number; cursor?: string } = {}): Promise<{ letters: DeadLetter[]; cursor?: string }> {
    const page = await queryPrefixPage(keys.deadLetterPrefix(), options);
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
