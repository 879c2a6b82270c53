import { TransientError } from '../errors';
import type { InboxDue, InboxStore, Logger, SyncQueue } from '../ports';

/**
 * The inbox sweep: stored chunks that no queue event is processing any more get a new event.
 *
 * A chunk loses its event when a push is refused (Forge's 500 events per minute, the 1,000-push limit of an event
 * chain, a partial success), when Forge gives up after its retries, or when a delivery is lost. Every stored chunk has
 * a small due record saying when its next event is due (written with the chunk, moved by each retry and re-queue,
 * deleted with the chunk), so the sweep reads those records only — cost O(chunks waiting), never O(history).
 *
 * - The hourly check sweeps every lane: a chunk due more than `SWEEP_GRACE_MS` ago (longer than the consumer's
 *   300 s timeout) and still stored has no live event.
 * - A consumer holding a lane's lease sweeps that lane (one page): a chunk of the lane due well before the event being
 *   run is overdue, since the lane's events run one at a time in the order they fall due.
 *
 * A re-queued chunk that did have an event is run twice; the second run finds it done (the chunk is gone) or does the
 * rest under the lane's lease, so a mistaken re-queue costs a delivery, never a duplicate issue.
 */
export const SWEEP_GRACE_MS = 15 * 60_000;
export const LANE_SWEEP_GRACE_MS = 60_000;
export const LANE_SWEEP_PAGE = 10;
/** At most this many chunks re-queued per hourly run: half of Forge's 500 events per minute. */
export const SWEEP_MAX_REQUEUES = 250;

export type SweepDeps = { inbox: InboxStore; queue: SyncQueue; logger: Logger; now: () => Date };

export type SweepScope =
  /** The hourly check: every lane. */
  | { kind: 'all' }
  /** A consumer holding `lane`'s lease, running an event due at `eventDueAt`. */
  | { kind: 'lane'; lane: string; eventDueAt: Date; exceptChunkKey: string };

function isOverdue(entry: InboxDue, scope: SweepScope, now: Date): boolean {
  const due = Date.parse(entry.dueAt);
  if (Number.isNaN(due)) return true;
  if (scope.kind === 'all') return now.getTime() - due > SWEEP_GRACE_MS;
  return (
    entry.chunkKey !== scope.exceptChunkKey &&
    scope.eventDueAt.getTime() - due > LANE_SWEEP_GRACE_MS &&
    now.getTime() - due > LANE_SWEEP_GRACE_MS
  );
}

async function overdueEntries(deps: SweepDeps, scope: SweepScope, now: Date): Promise<InboxDue[]> {
  if (scope.kind === 'lane') {
    const page = await deps.inbox.listDue({ lane: scope.lane, limit: LANE_SWEEP_PAGE });
    return page.entries.filter((entry) => isOverdue(entry, scope, now));
  }
  const out: InboxDue[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.inbox.listDue({ limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.entries.filter((entry) => isOverdue(entry, scope, now)));
    cursor = page.cursor;
  } while (cursor && out.length < SWEEP_MAX_REQUEUES);
  return out.slice(0, SWEEP_MAX_REQUEUES);
}

/**
 * Gives each overdue chunk a new event (its due record moved to now first). A refused push stops the sweep; what is
 * left is found again by the next one.
 */
export async function sweepOrphanedChunks(deps: SweepDeps, scope: SweepScope): Promise<{ requeued: number }> {
  const now = deps.now();
  const overdue = await overdueEntries(deps, scope, now);
  if (overdue.length === 0) return { requeued: 0 };
  for (const entry of overdue) await deps.inbox.markDue(entry.chunkKey, entry.lane, now);
  await deps.queue.publish(
    overdue.map((entry) => ({ chunkKey: entry.chunkKey, lane: entry.lane, dueAt: now.toISOString() })),
  );
  deps.logger.warn('orphaned inbox chunks re-queued', {
    scope: scope.kind === 'lane' ? `lane ${scope.lane}` : 'all lanes',
    count: overdue.length,
    chunkKeys: overdue.slice(0, 10).map((entry) => entry.chunkKey),
  });
  return { requeued: overdue.length };
}

/** While holding the lane's lease, after a chunk is done: the lane's chunks that fell due well before this event. */
export async function sweepLaneAfterRun(
  deps: SweepDeps,
  run: { lane: string; chunkKey: string; dueAt?: string },
): Promise<void> {
  const eventDueAt = run.dueAt ? new Date(run.dueAt) : undefined;
  if (!eventDueAt || Number.isNaN(eventDueAt.getTime())) return;
  try {
    await sweepOrphanedChunks(deps, { kind: 'lane', lane: run.lane, eventDueAt, exceptChunkKey: run.chunkKey });
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
    deps.logger.warn('lane sweep deferred', { lane: run.lane, reason: error.message });
  }
}
