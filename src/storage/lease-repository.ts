import { kvs } from './kvs-client';
import { z } from 'zod';
import { ConflictError } from '../usecases/errors';
import { keys } from './keys';

/**
 * A lane lease: at most one consumer at a time creates and updates issues for one routing target.
 * Taken with `FAIL_IF_EXISTS` (atomic) and a TTL longer than the consumer's timeout, so a consumer
 * that dies holding it cannot block the lane for longer than that.
 */
const LeaseSchema = z.object({ token: z.string(), expiresAt: z.string() });

export type LeaseAttempt = { acquired: true } | { acquired: false; expiresAt: Date | undefined };

export const leaseRepository = {
  async acquire(lane: string, token: string, ttlSeconds: number, now: Date): Promise<LeaseAttempt> {
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    try {
      await kvs.set(
        keys.lease(lane),
        { token, expiresAt },
        { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: ttlSeconds, unit: 'SECONDS' } },
      );
      return { acquired: true };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const held = LeaseSchema.safeParse(await kvs.get(keys.lease(lane)));
      return { acquired: false, expiresAt: held.success ? new Date(held.data.expiresAt) : undefined };
    }
  },
  /**
   * Releases the lease. Only its live holder calls this, and the TTL is longer than any invocation
   * can run, so the key is still this holder's: one delete, no read.
   */
  async release(lane: string): Promise<void> {
    await kvs.delete(keys.lease(lane));
  },
};
