import { kvs } from './kvs-client';
import { ConflictError } from '../usecases/errors';
import { keys } from './keys';

/** Remembers signature ids for their validity window; `FAIL_IF_EXISTS` makes the check atomic. */
export const replayGuard = {
  /** True the first time an id is seen; false for a replay (even when two requests race). */
  async remember(signatureId: string, ttlSeconds: number): Promise<boolean> {
    try {
      await kvs.set(keys.replay(signatureId), 1, {
        keyPolicy: 'FAIL_IF_EXISTS',
        ttl: { value: Math.max(1, Math.ceil(ttlSeconds)), unit: 'SECONDS' },
      });
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  },
};
