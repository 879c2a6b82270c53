import { holderVerdict } from '../../domain/lease';
import { TransientError } from '../errors';
import type { HeldLease, LeaseAttempt, LeaseStore } from '../ports';

/**
 * The lane leases one sync attempt holds: its own lane's, and for a while those of lanes its groups belong to
 * (`group-issues.ts`). A lease lasts a minute, so a consumer that died holding one blocks its lane for about a
 * minute; a live holder renews before each write when less than 30 s is left (`domain/lease.ts`), so a chunk that
 * runs for minutes keeps its lane. A holder that finds its lease taken over stops before the write: never two
 * consumers writing one lane's issues at once.
 */

export const LANE_LEASE_SECONDS = 60;

/** This attempt's lease of `lane` passed to another consumer (it expired while this one was slow). */
export class LeaseLostError extends TransientError {
  constructor(readonly lane: string) {
    super(`The lease of lane ${lane} passed to another consumer while this one was slow`, 5_000, 'lane-busy');
    this.name = 'LeaseLostError';
  }
}

export type LaneLeaseDeps = { leases: LeaseStore; now: () => Date; newToken: () => string };

export class LaneLeases {
  private readonly held = new Map<string, HeldLease>();
  private lostLane: string | undefined;
  /** Renewals in this attempt (two KVS writes each). */
  renewals = 0;
  tookOver = false;

  constructor(private readonly deps: LaneLeaseDeps) {}

  async take(lane: string): Promise<LeaseAttempt> {
    const attempt = await this.deps.leases.acquire(lane, this.deps.newToken(), LANE_LEASE_SECONDS, this.deps.now());
    if (attempt.acquired) {
      this.held.set(lane, attempt.lease);
      this.tookOver ||= attempt.tookOver;
    }
    return attempt;
  }

  /** Called before every write: renews what is about to run out; throws `LeaseLostError` once any lease is lost. */
  async ensure(): Promise<void> {
    if (this.lostLane !== undefined) throw new LeaseLostError(this.lostLane);
    for (const [lane, lease] of this.held) {
      const now = this.deps.now();
      if (holderVerdict(new Date(lease.expiresAt), now) === 'safe') continue;
      const renewed = await this.deps.leases.renew(lease, LANE_LEASE_SECONDS, now);
      if (!renewed) {
        this.held.delete(lane);
        this.lostLane = lane;
        throw new LeaseLostError(lane);
      }
      this.renewals++;
      this.held.set(lane, renewed);
    }
  }

  get lost(): boolean {
    return this.lostLane !== undefined;
  }

  async release(lane: string): Promise<void> {
    const lease = this.held.get(lane);
    if (!lease) return;
    this.held.delete(lane);
    await this.deps.leases.release(lease, this.deps.now());
  }

  async releaseAll(): Promise<void> {
    for (const lane of [...this.held.keys()]) await this.release(lane);
  }
}

/**
 * `target` with the named methods (its writes) behind `guard.ensure()`; everything else passes through. Works on
 * object literals and class instances alike.
 */
export function guardWrites<T extends object>(
  target: T,
  writes: ReadonlyArray<keyof T & string>,
  guard: { ensure(): Promise<void> },
): T {
  const guarded = new Set<string | symbol>(writes);
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!guarded.has(property)) return method.bind(object);
      return async (...args: unknown[]) => {
        await guard.ensure();
        return method.apply(object, args);
      };
    },
  });
}
