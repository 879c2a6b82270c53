import { z } from 'zod';
import { healthRepository } from '../storage/health-repository';

/** Scheduled trigger (manifest: `health-check`). Records that it ran; config checks land with the admin page. */
const ScheduledEventSchema = z.object({ context: z.object({ moduleKey: z.string().optional() }).passthrough().optional() }).passthrough();

export async function health(event: unknown): Promise<void> {
  const parsed = ScheduledEventSchema.safeParse(event ?? {});
  const trigger = parsed.success ? (parsed.data.context?.moduleKey ?? 'health-check') : 'health-check';
  await healthRepository.recordRun({ at: new Date().toISOString(), trigger });
}
