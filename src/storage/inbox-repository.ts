import { gunzipSync, gzipSync } from 'node:zlib';
import { kvs } from './kvs-client';
import { z } from 'zod';
import { FindingSchema } from '../domain/finding';
import type { WorkChunk } from '../domain/work-chunks';
import { batchSetValues } from './kvs-batch';
import { keys } from './keys';

/**
 * Accepted findings waiting for the sync consumer, one KVS value per chunk (≤ 50 findings of one
 * lane). Written before the ingest answers 202, deleted when the consumer has finished the chunk;
 * a TTL bounds what a lost queue event could leave behind. The items are stored gzip-compressed
 * (findings compress ~5×): KVS quotas count 10 KB units, and the inbox is most of the bytes the app
 * writes per finding.
 */
const INBOX_TTL_SECONDS = 7 * 24 * 3600;

const ItemsSchema = z.array(
  z.object({
    findingKey: z.string(),
    source: z.string(),
    finding: FindingSchema,
    scope: z.string().optional(),
    closedBy: z.object({ scanId: z.string(), label: z.string(), receivedAt: z.string() }).optional(),
  }),
);
const StoredChunkSchema = z.object({
  lane: z.string(),
  receivedAt: z.string(),
  encoding: z.literal('gzip-base64'),
  items: z.string(),
});
export type InboxChunk = { lane: string; receivedAt: string; items: z.output<typeof ItemsSchema> };

function decodeItems(chunkKey: string, encoded: string): z.output<typeof ItemsSchema> {
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8'));
  } catch (error) {
    throw new Error(
      `Inbox chunk ${chunkKey} cannot be decoded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = ItemsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Inbox chunk ${chunkKey} is corrupt: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

export const inboxRepository = {
  async saveChunks(batchId: string, chunks: ReadonlyArray<WorkChunk>, receivedAt: Date): Promise<string[]> {
    const items = chunks.map((chunk, index) => ({
      key: keys.inboxChunk(batchId, index),
      value: {
        lane: chunk.lane,
        receivedAt: receivedAt.toISOString(),
        encoding: 'gzip-base64',
        items: gzipSync(JSON.stringify(chunk.items)).toString('base64'),
      },
      ttlSeconds: INBOX_TTL_SECONDS,
    }));
    await batchSetValues(items);
    return items.map((item) => item.key);
  },
  async load(chunkKey: string): Promise<InboxChunk | undefined> {
    const raw = await kvs.get(chunkKey);
    if (raw === undefined) return undefined;
    const parsed = StoredChunkSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Inbox chunk ${chunkKey} is corrupt: ${issue?.path.join('.')} ${issue?.message}`);
    }
    return {
      lane: parsed.data.lane,
      receivedAt: parsed.data.receivedAt,
      items: decodeItems(chunkKey, parsed.data.items),
    };
  },
  async delete(chunkKey: string): Promise<void> {
    await kvs.delete(chunkKey);
  },
};
