import { LEASE_GC_SECONDS } from '../../../src/domain/lease';
import { kvs } from '../../../src/storage/kvs-client';
import { leaseRepository } from '../../../src/storage/lease-repository';
import { keys } from '../../../src/storage/keys';
import type { HeldLease } from '../../../src/usecases/ports';
import { sandboxClock } from '../../../sandbox/runtime/clock';
import { createProbeSandbox } from '../sandbox/probe-sandbox';

/**
 * The lease's expiry is in its value (`domain/lease.ts`): a crashed holder's lane is free about a minute later
 * however long KVS keeps the expired key, exactly one of several waiters takes it over, and a holder that was too
 * slow finds it gone and can neither renew nor release it.
 */
describe('lease repository (expiry in the value, single-winner takeover)', () => {
  const held = (attempt: Awaited<ReturnType<typeof leaseRepository.acquire>>): HeldLease => {
    if (!attempt.acquired) throw new Error('expected the lease');
    return attempt.lease;
  };

  it.each([0, 600])(
    'a crashed holder: busy until its expiry, taken over 5 s later (TTL linger %i s)',
    async (linger) => {
      const sandbox = createProbeSandbox();
      sandbox.kvs.setTtlLinger(linger);
      await sandbox.runAsApp(async () => {
        const start = new Date();
        held(await leaseRepository.acquire('lane-a', 'dead', 60, start));
        sandboxClock.advance(64_000);
        const busy = await leaseRepository.acquire('lane-a', 'next', 60, new Date());
        expect(busy).toEqual({ acquired: false, expiresAt: new Date(start.getTime() + 60_000) });
        sandboxClock.advance(1_000);
        const taken = await leaseRepository.acquire('lane-a', 'next', 60, new Date());
        expect(taken).toMatchObject({ acquired: true, tookOver: true, lease: { token: 'next' } });
        expect(await kvs.get(keys.lease('lane-a'))).toMatchObject({ token: 'next' });
      });
    },
  );

  it('eight waiters racing for one expired lease: exactly one wins', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(async () => {
      held(await leaseRepository.acquire('lane-b', 'dead', 60, new Date()));
      sandboxClock.advance(70_000);
      const now = new Date();
      const attempts = await Promise.all(
        Array.from({ length: 8 }, (_, i) => leaseRepository.acquire('lane-b', `waiter-${i}`, 60, now)),
      );
      const winners = attempts.filter((a) => a.acquired);
      expect(winners).toHaveLength(1);
      expect(await kvs.get(keys.lease('lane-b'))).toMatchObject({ token: held(winners[0]!).token });
    });
  });

  it('a slow holder whose lease was taken over can neither renew nor release it', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(async () => {
      const slow = held(await leaseRepository.acquire('lane-c', 'slow', 60, new Date()));
      sandboxClock.advance(66_000);
      const next = held(await leaseRepository.acquire('lane-c', 'next', 60, new Date()));
      expect(await leaseRepository.renew(slow, 60, new Date())).toBeUndefined();
      await leaseRepository.release(slow, new Date());
      expect(await kvs.get(keys.lease('lane-c'))).toEqual({ token: 'next', expiresAt: next.expiresAt });
    });
  });

  it('a holder renewing while waiters take over: exactly one of them gets the lane', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(async () => {
      for (let round = 0; round < 10; round++) {
        const lane = `lane-race-${round}`;
        const holder = held(await leaseRepository.acquire(lane, 'holder', 60, new Date()));
        sandboxClock.advance(66_000);
        const now = new Date();
        const [renewed, ...waiters] = await Promise.all([
          leaseRepository.renew(holder, 60, now),
          leaseRepository.acquire(lane, 'w1', 60, now),
          leaseRepository.acquire(lane, 'w2', 60, now),
        ]);
        const owners = [
          renewed ? 'holder' : undefined,
          ...waiters.map((w) => (w.acquired ? w.lease.token : undefined)),
        ];
        expect(owners.filter(Boolean)).toHaveLength(1);
        expect(await kvs.get(keys.lease(lane))).toMatchObject({ token: owners.find(Boolean) });
      }
    });
  });

  it('a holder renews (even past its expiry when nobody took over) and releases; the lane is free again', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(async () => {
      const first = held(await leaseRepository.acquire('lane-d', 'holder', 60, new Date()));
      sandboxClock.advance(40_000);
      const renewed = await leaseRepository.renew(first, 60, new Date());
      expect(renewed).toBeDefined();
      sandboxClock.advance(90_000); // past the renewed expiry; no waiter came
      const again = await leaseRepository.renew(renewed!, 60, new Date());
      expect(again).toBeDefined();
      expect(await leaseRepository.acquire('lane-d', 'waiter', 60, new Date())).toMatchObject({ acquired: false });
      await leaseRepository.release(again!, new Date());
      expect(await leaseRepository.acquire('lane-d', 'waiter', 60, new Date())).toMatchObject({
        acquired: true,
        tookOver: false,
      });
    });
  });

  it('an expired lease nobody took over for its whole GC margin is left to the TTL, then taken afresh', async () => {
    const sandbox = createProbeSandbox();
    sandbox.kvs.setTtlLinger(120);
    await sandbox.runAsApp(async () => {
      const dead = held(await leaseRepository.acquire('lane-e', 'dead', 60, new Date()));
      sandboxClock.advance((60 + LEASE_GC_SECONDS - 30) * 1000); // after the step cutoff, before the TTL
      expect(await leaseRepository.acquire('lane-e', 'late', 60, new Date())).toEqual({
        acquired: false,
        expiresAt: undefined,
      });
      expect(await leaseRepository.renew(dead, 60, new Date())).toBeUndefined();
      sandboxClock.advance(200_000); // past the TTL and the longest linger
      expect(await leaseRepository.acquire('lane-e', 'late', 60, new Date())).toMatchObject({
        acquired: true,
        tookOver: false,
      });
    });
  });
});
