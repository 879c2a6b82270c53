import { requeueStalledCallbacks, type ReplayDeps } from './deliver-platform-callbacks';

/**
 * The hourly health check: records that it ran (the admin page shows it) and re-queues callbacks
 * whose delivery event was lost (an outbox entry nobody is working on), so a lost queue event
 * delays a callback by at most an hour and never drops it.
 */
export type HealthCheckDeps = ReplayDeps & {
  recordRun(run: { at: string; trigger: string }): Promise<void>;
};

export async function runHealthCheck(trigger: string, deps: HealthCheckDeps): Promise<{ requeuedCallbacks: number }> {
  const { requeued } = await requeueStalledCallbacks(deps);
  await deps.recordRun({ at: deps.now().toISOString(), trigger });
  if (requeued > 0) deps.logger.warn('stalled platform callbacks re-queued', { count: requeued });
  return { requeuedCallbacks: requeued };
}
