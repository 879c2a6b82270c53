import { randomUUID } from 'node:crypto';
import type { AdminResult } from '../../contracts/admin-api';
import type { SyncConfig } from '../../domain/config';
import { routeFinding } from '../../domain/routing';
import { chunkWorkItems } from '../../domain/work-chunks';
import { UNROUTED_LANE } from '../ingest-findings';
import { TransientError } from '../errors';
import type { InboxStore, Logger, SyncQueue } from '../ports';
import type { DeadLetterPage, DeadLetterReader } from './admin-ports';

export type ReplayDeps = {
  deadLetters: DeadLetterReader;
  config: () => Promise<SyncConfig>;
  inbox: InboxStore;
  queue: SyncQueue;
  logger: Logger;
  now: () => Date;
};

/**
 * Sends a dead-lettered finding through the sync again, routed with today's configuration (the
 * admin has usually just fixed the mapping Jira refused): same inbox and queue as a fresh ingest.
 * The dead letter is removed once the work is queued; a new failure writes a new one.
 */
export async function replayDeadLetter(
  input: { findingKey: string },
  deps: ReplayDeps,
): Promise<AdminResult<{ queued: true }>> {
  const letter = await deps.deadLetters.get(input.findingKey);
  if (!letter)
    return {
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'This failed finding is no longer waiting: it was replayed or synced since the page loaded.',
      },
    };
  await requeueDeadLetters([letter], deps);
  return { ok: true, data: { queued: true } };
}

/** Routes dead letters with today's configuration into new inbox chunks, queues them, then removes the letters. */
export async function requeueDeadLetters(
  letters: DeadLetterPage['letters'],
  deps: ReplayDeps,
): Promise<{ queued: number; refused: boolean }> {
  if (letters.length === 0) return { queued: 0, refused: false };
  const config = await deps.config();
  const chunks = chunkWorkItems(
    letters.map((letter) => {
      const route = routeFinding(letter.finding, config);
      const lane = route.routed ? route.mapping.id : UNROUTED_LANE;
      return { lane, findingKey: letter.findingKey, source: letter.source, finding: letter.finding };
    }),
  );
  const now = deps.now();
  const chunkKeys = await deps.inbox.saveChunks(`replay-${randomUUID()}`, chunks, now);
  let refused = false;
  try {
    await deps.queue.publish(
      chunks.map((chunk, index) => ({ chunkKey: chunkKeys[index]!, lane: chunk.lane, dueAt: now.toISOString() })),
    );
  } catch (error) {
    // The chunks are stored: the inbox sweep queues them (`sync/sweep-inbox.ts`).
    if (!(error instanceof TransientError)) throw error;
    refused = true;
  }
  await deps.deadLetters.deleteMany(letters.map((letter) => letter.findingKey));
  deps.logger.info('dead letters replayed', { count: letters.length, chunks: chunks.length, queueRefused: refused });
  return { queued: letters.length, refused };
}
