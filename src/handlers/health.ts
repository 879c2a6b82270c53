import { z } from 'zod';
import { healthCheckDeps } from '../composition';
import { runHealthCheck, type HealthCheckResult } from '../usecases/run-health-check';

/** Scheduled trigger (manifest: `health-check`, hourly). */
const ScheduledEventSchema = z
  .object({ context: z.object({ moduleKey: z.string().optional() }).passthrough().optional() })
  .passthrough();

export async function health(event: unknown): Promise<HealthCheckResult> {
  const parsed = ScheduledEventSchema.safeParse(event ?? {});
  const trigger = parsed.success ? (parsed.data.context?.moduleKey ?? 'health-check') : 'health-check';
  return runHealthCheck(trigger, healthCheckDeps());
}
