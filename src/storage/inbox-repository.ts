import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { FindingSchema } from '../domain/finding';
import type { WorkChunk } from '../domain/work-chunks';
import { batchSetValues } from './kvs-batch';
import { keys } from './keys';

/**
 * Accepted findings waiting for the sync consumer, one KVS value per chunk (≤ 50 findings of one
 * lane). Written before the ingest answers 202, deleted when the consumer has finished the chunk;
 * a TTL bounds what a lost queue event could leave behind.
 */
const INBOX_TTL_SECONDS = 7 * 24 * 3600;

const StoredChunkSchema = z.object({
  lane: z.string(),
  receivedAt: z.string(),
  items: z.array(z.object({ findingKey: z.string(), source: z.string(), finding: FindingSchema })),
});
export type InboxChunk = z.output<typeof StoredChunkSchema>;

export const inboxRepository = {
  async saveChunks(batchId: string, chunks: ReadonlyArray<WorkChunk>, receivedAt: Date): Promise<string[]> {
    const items = chunks.map((chunk, index) => ({
      key: keys.inboxChunk(batchId, index),
      value: { lane: chunk.lane, receivedAt: receivedAt.toISOString(), items: chunk.items },
      ttlSeconds: INBOX_TTL_SECONDS,
    }));
    await batchSetValues(items);
    return items.map((item) => item.key);
  },
  async load(chunkKey: string): Promise<InboxChunk | undefined> {
    const raw = await kvs.get(chunkKey);
    if (raw === undefined) return undefined;
    const parsed = StoredChunkSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`Inbox chunk ${chunkKey} is corrupt: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  },
  async delete(chunkKey: string): Promise<void> {
    await kvs.delete(chunkKey);
  },
};
