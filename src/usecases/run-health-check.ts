import { requeueStalledCallbacks, type ReplayDeps } from './deliver-platform-callbacks';
import { TransientError } from './errors';
import type { InboxStore, SyncQueue } from './ports';
import { sweepOrphanedChunks } from './sync/sweep-inbox';

/**
 * The hourly health check: folds the closed hours of the health counters into their 30-day window
 * (what a Health page view reads), records that it ran (the admin page shows it), re-queues
 * callbacks whose delivery event was lost (an outbox entry nobody is working on) and inbox chunks
 * whose sync event was lost or refused (`sync/sweep-inbox.ts`; the five-minute `inbox-sweep` does that too), so a
 * lost queue event delays work by minutes and never drops it.
 */
export type HealthCheckDeps = ReplayDeps & {
  recordRun(run: { at: string; trigger: string }): Promise<void>;
  foldStats(now: Date): Promise<{ foldedHours: number; foldedThrough: string | null }>;
  /** The sync side: stored chunks and their queue. */
  chunks: { inbox: InboxStore; queue: SyncQueue };
  /** Resumes bulk admin jobs paused by Forge's event-chain limit (this invocation starts a new chain). */
  resumeJobs(): Promise<void>;
};

export type HealthCheckResult = { requeuedCallbacks: number; requeuedChunks: number };

export type InboxSweepDeps = Pick<HealthCheckDeps, 'chunks' | 'logger' | 'now'>;

/**
 * The inbox sweep alone (manifest: `inbox-sweep`, every five minutes): a chunk whose event was refused or lost waits
 * at most the sweep's grace plus five minutes, not until the next hourly check. A refused or rate-limited sweep
 * leaves the rest to the next run. Cost when nothing is waiting: one KVS query.
 */
export async function sweepChunks(deps: InboxSweepDeps): Promise<number> {
  try {
    const { requeued } = await sweepOrphanedChunks(
      { ...deps.chunks, logger: deps.logger, now: deps.now },
      { kind: 'all' },
    );
    return requeued;
  } catch (error) {
    // Refused or rate limited: the next run (or the lane's next chunk) finds the rest.
    if (!(error instanceof TransientError)) throw error;
    deps.logger.warn('inbox sweep deferred', { reason: error.message });
    return 0;
  }
}

export async function runHealthCheck(trigger: string, deps: HealthCheckDeps): Promise<HealthCheckResult> {
  const fold = await deps.foldStats(deps.now());
  if (fold.foldedHours > 0) deps.logger.info('health counters folded', fold);
  const { requeued } = await requeueStalledCallbacks(deps);
  const requeuedChunks = await sweepChunks(deps);
  await deps.resumeJobs();
  await deps.recordRun({ at: deps.now().toISOString(), trigger });
  if (requeued > 0) deps.logger.warn('stalled platform callbacks re-queued', { count: requeued });
  return { requeuedCallbacks: requeued, requeuedChunks };
}
