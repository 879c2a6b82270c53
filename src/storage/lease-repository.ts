import { kvs } from './kvs-client';
import { z } from 'zod';
import { holderVerdict, SAFE_WINDOW_MS, ttlSecondsFor, waiterVerdict } from '../domain/lease';
import { ConflictError } from '../usecases/errors';
import type { HeldLease, LeaseAttempt, LeaseStore } from '../usecases/ports';
import { keys } from './keys';

/**
 * Leases in KVS (the rules: `domain/lease.ts`). `lease:<lane>` holds `{ token, expiresAt }`; its TTL only
 * garbage-collects, so a key that outlives its TTL changes nothing. Requests:
 * - acquire a free lane: 1 write (`FAIL_IF_EXISTS`); a busy one: + 1 read; a takeover: + 2 writes (step, lease)
 * - renew (only with less than 30 s left): 2 writes (step, lease)
 * - release with 30 s or more left: 1 delete (no one may replace the value before it expires); later: step + delete
 */
const LeaseSchema = z.object({ token: z.string(), expiresAt: z.string() });

function leaseUntil(lane: string, token: string, seconds: number, now: Date): HeldLease {
  return { lane, token, expiresAt: new Date(now.getTime() + seconds * 1000).toISOString() };
}

async function store(lease: HeldLease, now: Date, ifAbsent: boolean): Promise<void> {
  const ttl = { value: ttlSecondsFor(new Date(lease.expiresAt), now), unit: 'SECONDS' as const };
  const value = { token: lease.token, expiresAt: lease.expiresAt };
  if (ifAbsent) await kvs.set(keys.lease(lease.lane), value, { keyPolicy: 'FAIL_IF_EXISTS', ttl });
  else await kvs.set(keys.lease(lease.lane), value, { ttl });
}

/** Wins the one right to replace the stored value `from` (by its holder or a waiter); false when someone else has. */
async function winStep(from: HeldLease, by: string, now: Date): Promise<boolean> {
  try {
    await kvs.set(
      keys.leaseStep(from.lane, from.token, from.expiresAt),
      { by, at: now.toISOString() },
      { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: ttlSecondsFor(new Date(from.expiresAt), now), unit: 'SECONDS' } },
    );
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}

export const leaseRepository: LeaseStore = {
  async acquire(lane: string, token: string, seconds: number, now: Date): Promise<LeaseAttempt> {
    const lease = leaseUntil(lane, token, seconds, now);
    try {
      await store(lease, now, true);
      return { acquired: true, lease, tookOver: false };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    const held = LeaseSchema.safeParse(await kvs.get(keys.lease(lane)));
    // Gone since (released): free, but another waiter may be faster; unreadable: wait for its removal.
    if (!held.success || Number.isNaN(Date.parse(held.data.expiresAt)))
      return { acquired: false, expiresAt: undefined };
    const expiresAt = new Date(held.data.expiresAt);
    const verdict = waiterVerdict(expiresAt, now);
    if (verdict === 'held') return { acquired: false, expiresAt };
    if (verdict === 'wait-for-removal') return { acquired: false, expiresAt: undefined };
    if (!(await winStep({ lane, ...held.data }, token, now))) return { acquired: false, expiresAt: undefined };
    await store(lease, now, false);
    return { acquired: true, lease, tookOver: true };
  },

  async renew(lease: HeldLease, seconds: number, now: Date): Promise<HeldLease | undefined> {
    if (holderVerdict(new Date(lease.expiresAt), now) === 'lost') return undefined;
    if (!(await winStep(lease, lease.token, now))) return undefined;
    const renewed = leaseUntil(lease.lane, lease.token, seconds, now);
    await store(renewed, now, false);
    return renewed;
  },

  async release(lease: HeldLease, now: Date): Promise<void> {
    const left = Date.parse(lease.expiresAt) - now.getTime();
    if (left >= SAFE_WINDOW_MS) {
      await kvs.delete(keys.lease(lease.lane));
      return;
    }
    if (holderVerdict(new Date(lease.expiresAt), now) === 'lost') return;
    if (await winStep(lease, lease.token, now)) await kvs.delete(keys.lease(lease.lane));
  },
};
