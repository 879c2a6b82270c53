import { requeueStalledCallbacks, type ReplayDeps } from './deliver-platform-callbacks';

/**
 * The hourly health check: folds the closed hours of the health counters into their 30-day window
 * (what a Health page view reads), records that it ran (the admin page shows it) and re-queues
 * callbacks whose delivery event was lost (an outbox entry nobody is working on), so a lost queue
 * event delays a callback by at most an hour and never drops it.
 */
export type HealthCheckDeps = ReplayDeps & {
  recordRun(run: { at: string; trigger: string }): Promise<void>;
  foldStats(now: Date): Promise<{ foldedHours: number; foldedThrough: string | null }>;
};

export async function runHealthCheck(trigger: string, deps: HealthCheckDeps): Promise<{ requeuedCallbacks: number }> {
  const fold = await deps.foldStats(deps.now());
  if (fold.foldedHours > 0) deps.logger.info('health counters folded', fold);
  const { requeued } = await requeueStalledCallbacks(deps);
  await deps.recordRun({ at: deps.now().toISOString(), trigger });
  if (requeued > 0) deps.logger.warn('stalled platform callbacks re-queued', { count: requeued });
  return { requeuedCallbacks: requeued };
}
