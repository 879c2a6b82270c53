import { gunzipSync, gzipSync } from 'node:zlib';
import { kvs } from './kvs-client';
import { z } from 'zod';
import { FindingSchema } from '../domain/finding';
import type { WorkChunk } from '../domain/work-chunks';
import { batchSetValues } from './kvs-batch';
import { queryPrefixPage } from './kvs-scan';
import { keys } from './keys';

/**
 * Accepted findings waiting for the sync consumer, one KVS value per chunk (≤ 50 findings of one
 * lane). Written before the ingest answers 202, deleted when the consumer has finished the chunk;
 * a TTL bounds what a lost queue event could leave behind. The items are stored gzip-compressed
 * (findings compress ~5×): KVS quotas count 10 KB units, and the inbox is most of the bytes the app
 * writes per finding.
 *
 * Beside each chunk, a small due record (`inbox-due:<lane>:…`, same TTL) says when its queue event is next due; the
 * sweep (`usecases/sync/sweep-inbox.ts`) reads those to find chunks no event is processing any more.
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
const DueSchema = z.object({ chunkKey: z.string(), lane: z.string(), dueAt: z.string() });
export type InboxDue = z.output<typeof DueSchema>;

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
    const due = chunks.map((chunk, index) => ({
      key: keys.inboxDue(chunk.lane, items[index]!.key),
      value: { chunkKey: items[index]!.key, lane: chunk.lane, dueAt: receivedAt.toISOString() },
      ttlSeconds: INBOX_TTL_SECONDS,
    }));
    // Due records first: a chunk is never stored without one (a due record without its chunk is dropped by the sweep).
    await batchSetValues(due);
    await batchSetValues(items);
    return items.map((item) => item.key);
  },
  /** Records when the chunk's next queue event is due (a retry's wait, a re-queue's delay). */
  async markDue(chunkKey: string, lane: string, dueAt: Date): Promise<void> {
    await kvs.set(
      keys.inboxDue(lane, chunkKey),
      { chunkKey, lane, dueAt: dueAt.toISOString() },
      { ttl: { value: INBOX_TTL_SECONDS, unit: 'SECONDS' } },
    );
  },
  /** One page of due records: of one lane, or of every lane. Unreadable records are skipped. */
  async listDue(options: { lane?: string; limit: number; cursor?: string }): Promise<{
    entries: InboxDue[];
    cursor?: string;
  }> {
    const prefix = options.lane !== undefined ? keys.inboxDueLanePrefix(options.lane) : keys.inboxDuePrefix();
    const page = await queryPrefixPage(prefix, {
      limit: options.limit,
      ...(options.cursor ? { cursor: options.cursor } : {}),
    });
    const entries = page.results
      .map((result) => DueSchema.safeParse(result.value))
      .flatMap((parsed) => (parsed.success ? [parsed.data] : []))
      .filter((entry) => options.lane === undefined || entry.lane === options.lane);
    return { entries, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
  },
  async forgetDue(chunkKey: string, lane: string): Promise<void> {
    await kvs.delete(keys.inboxDue(lane, chunkKey));
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
  /** The chunk, then its due record (a crash in between leaves a due record the sweep drops). */
  async delete(chunkKey: string, lane: string): Promise<void> {
    await kvs.delete(chunkKey);
    await kvs.delete(keys.inboxDue(lane, chunkKey));
  },
};
