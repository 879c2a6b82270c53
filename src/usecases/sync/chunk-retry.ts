import { TransientError } from '../errors';
import type {
  ConfigStore,
  InboxStore,
  LeaseStore,
  Logger,
  StatsStore,
  SyncPause,
  SyncPauseStore,
  SyncQueue,
} from '../ports';
import type { ScopeIndexStore } from '../scan-ports';
import type { ChunkRun, ChunkRunDeps, SyncCounts } from './chunk-run';

/**
 * What a sync chunk attempt answers when it cannot finish: a retry (Forge's 4), a re-queue as a new event, a wait for
 * the sync's pause, or — when the queue refuses the push — the chunk left to the inbox sweep. Each moves the chunk's
 * due record to when its next event is due. Also the chunk's one log line.
 */

export const MAX_INVOCATION_RETRIES = 4;
export const MAX_REQUEUES = 50;

export type SyncChunkInput = {
  chunkKey: string;
  lane: string;
  requeues: number;
  retryCount: number;
  /** When the event was meant to run (absent in events queued before due records existed). */
  dueAt?: string;
};

export type SyncChunkDeps = ChunkRunDeps & {
  scopeIndex: ScopeIndexStore;
  config: ConfigStore;
  inbox: InboxStore;
  leases: LeaseStore;
  stats: StatsStore;
  queue: SyncQueue;
  pause: SyncPauseStore;
  logger: Logger;
  now: () => Date;
  newToken: () => string;
};

export type { SyncCounts };

export type SyncChunkResult =
  | { kind: 'done'; counts: SyncCounts }
  | { kind: 'retry'; retryAfterSeconds: number; reason: TransientError['reason']; message: string; counts: SyncCounts }
  | { kind: 'requeued'; delaySeconds: number; counts: SyncCounts }
  | { kind: 'paused'; until: string; delaySeconds: number; counts: SyncCounts }
  | { kind: 'left-for-sweep'; message: string; counts: SyncCounts };

export async function retryOrRequeue(
  input: SyncChunkInput,
  deps: SyncChunkDeps,
  error: TransientError,
  counts: SyncCounts,
): Promise<SyncChunkResult> {
  const seconds = Math.min(900, Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  const dueAt = new Date(deps.now().getTime() + seconds * 1000);
  if (input.retryCount < MAX_INVOCATION_RETRIES) {
    await noteDue(deps, input, dueAt);
    return { kind: 'retry', retryAfterSeconds: seconds, reason: error.reason, message: error.message, counts };
  }
  if (input.requeues >= MAX_REQUEUES) {
    throw new Error(
      `Chunk ${input.chunkKey} still failing after ${MAX_REQUEUES} re-queues: ${error.message}. ` +
        'The hourly check re-queues it.',
    );
  }
  // Forge gives up after 4 retries: a new event keeps the work alive.
  try {
    await deps.queue.publish(
      [{ chunkKey: input.chunkKey, lane: input.lane, requeues: input.requeues + 1, dueAt: dueAt.toISOString() }],
      seconds,
    );
  } catch (pushError) {
    // Refused (rate, the event chain's limit): the due record, left overdue, brings the sweep.
    if (!(pushError instanceof TransientError)) throw pushError;
    return { kind: 'left-for-sweep', message: pushError.message, counts };
  }
  await noteDue(deps, input, dueAt);
  return { kind: 'requeued', delaySeconds: seconds, counts };
}

/** Re-queues the chunk to run when the pause ends (a new event: no retry spent, `requeues` unchanged). */
export async function waitForPause(
  input: SyncChunkInput,
  deps: SyncChunkDeps,
  pause: SyncPause,
  now: Date,
  counts: SyncCounts,
): Promise<SyncChunkResult> {
  const delaySeconds = Math.min(900, Math.max(1, Math.ceil((Date.parse(pause.until) - now.getTime()) / 1000)));
  const dueAt = new Date(now.getTime() + delaySeconds * 1000);
  await deps.queue.publish(
    [{ chunkKey: input.chunkKey, lane: input.lane, requeues: input.requeues, dueAt: dueAt.toISOString() }],
    delaySeconds,
  );
  await noteDue(deps, input, dueAt);
  return { kind: 'paused', until: pause.until, delaySeconds, counts };
}

/** Moves the chunk's due record; a failure only makes the sweep look at the chunk sooner. */
async function noteDue(deps: SyncChunkDeps, input: SyncChunkInput, dueAt: Date): Promise<void> {
  try {
    await deps.inbox.markDue(input.chunkKey, input.lane, dueAt);
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
  }
}

/** The chunk's one log line. */
export function logChunk(
  deps: SyncChunkDeps,
  input: SyncChunkInput,
  result: SyncChunkResult,
  run: ChunkRun | undefined,
  reason?: string,
): void {
  const facts = {
    chunkKey: input.chunkKey,
    lane: input.lane,
    attempt: input.retryCount + 1,
    ...(input.requeues > 0 ? { requeues: input.requeues } : {}),
    result: result.kind,
    ...(reason ? { reason } : {}),
    ...(result.kind === 'paused' ? { pausedUntil: result.until } : {}),
    counts: result.counts,
    ...(run && run.failures.length > 0 ? { failed: run.failures } : {}),
    ...(run && run.assigneeDropped.length > 0 ? { assigneeDropped: run.assigneeDropped } : {}),
    ...(run && run.deletedIssues.length > 0 ? { issuesDeleted: run.deletedIssues } : {}),
    ...(run && run.leases.renewals > 0 ? { leaseRenewals: run.leases.renewals } : {}),
    ...(run?.leases.tookOver ? { leaseTakenOver: true } : {}),
  };
  if (result.kind === 'done' && !run?.failures.length) deps.logger.info('sync chunk', facts);
  else deps.logger.warn('sync chunk', facts);
}
