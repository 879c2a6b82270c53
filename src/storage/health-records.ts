import type { HealthRecordsReader } from '../usecases/admin/admin-ports';
import { bulkJobKeys, bulkJobsFrom } from './bulk-job-repository';
import { loadedConfigFrom } from './config-repository';
import { HealthRunSchema } from './health-repository';
import { keys } from './keys';
import { syncStatsRepository } from './sync-stats-repository';
import { syncPauseFrom } from './sync-pause-repository';

/**
 * Everything small a Health view shows, in the roll-ups' one batched read (≤ 25 keys): the counters'
 * window and open hours, the last hourly check, the configuration, the bulk jobs and the sync's quota
 * pause. Each record is parsed as its own repository parses it.
 */
export const healthRecordsReader: HealthRecordsReader = {
  async read(now) {
    const jobKeys = bulkJobKeys();
    const { view, values } = await syncStatsRepository.viewWith(now, [
      keys.healthLastRun(),
      keys.syncConfig(),
      keys.syncPause(),
      ...jobKeys,
    ]);
    const lastRun = HealthRunSchema.safeParse(values.get(keys.healthLastRun()));
    return {
      activity: view,
      lastHealthRunAt: lastRun.success ? lastRun.data.at : null,
      config: loadedConfigFrom(values.get(keys.syncConfig())).config,
      jobs: bulkJobsFrom(values),
      pause: syncPauseFrom(values.get(keys.syncPause())),
    };
  },
};
