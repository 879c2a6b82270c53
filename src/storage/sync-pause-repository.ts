import { z } from 'zod';
import type { SyncPause, SyncPauseStore } from '../usecases/ports';
import { keys } from './keys';
import { kvs } from './kvs-client';

/**
 * "The sync is paused until <reset>": one small KVS record every sync chunk reads first. Kept after the reset (the
 * Health tab shows it only while `until` is ahead); the next spent quota overwrites it.
 */
const SyncPauseSchema = z.object({ until: z.string(), since: z.string(), reason: z.string() });

/** The pause from its stored record (`keys.syncPause()`), for a read batched with others. */
export function syncPauseFrom(raw: unknown): SyncPause | undefined {
  const parsed = SyncPauseSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export const syncPauseRepository: SyncPauseStore = {
  async get(): Promise<SyncPause | undefined> {
    return syncPauseFrom(await kvs.get(keys.syncPause()));
  },
  async pause(pause: SyncPause): Promise<void> {
    const current = await syncPauseRepository.get();
    const ongoing = current && Date.parse(current.until) > Date.parse(pause.since);
    // Two chunks meeting the same spent quota write the same reset; the longer wait wins, the first `since` stays.
    if (ongoing && Date.parse(current.until) >= Date.parse(pause.until)) return;
    await kvs.set(keys.syncPause(), ongoing ? { ...pause, since: current.since } : pause);
  },
};
