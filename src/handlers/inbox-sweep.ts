import { healthCheckDeps } from '../composition';
import { sweepChunks } from '../usecases/run-health-check';

/**
 * Scheduled trigger (manifest: `inbox-sweep`, every five minutes): re-queues stored inbox chunks no queue event is
 * processing (`usecases/sync/sweep-inbox.ts`). Its event carries nothing the sweep uses, so it is not read.
 */
export async function inboxSweep(): Promise<{ requeuedChunks: number }> {
  return { requeuedChunks: await sweepChunks(healthCheckDeps()) };
}
