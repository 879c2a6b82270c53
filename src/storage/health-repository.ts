import { kvs } from './kvs-client';
import { z } from 'zod';
import { keys } from './keys';

export const HealthRunSchema = z.object({ at: z.string(), trigger: z.string() });
export type HealthRun = z.infer<typeof HealthRunSchema>;

export const healthRepository = {
  async recordRun(run: HealthRun): Promise<void> {
    await kvs.set(keys.healthLastRun(), run);
  },
  async lastRun(): Promise<HealthRun | undefined> {
    const parsed = HealthRunSchema.safeParse(await kvs.get(keys.healthLastRun()));
    return parsed.success ? parsed.data : undefined;
  },
};
