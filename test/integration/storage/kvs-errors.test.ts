import { InternalServerError, RateLimitError } from '@forge/events';
import { ForgeKvsAPIError } from '@forge/kvs';
import { ConflictError, TransientError } from '../../../src/usecases/errors';
import { cacheRepository } from '../../../src/storage/cache-repository';
import { kvs } from '../../../src/storage/kvs-client';
import { translateStorageError } from '../../../src/storage/kvs-errors';
import { leaseRepository } from '../../../src/storage/lease-repository';
import { replayGuard } from '../../../src/storage/replay-guard';
import { createProbeSandbox } from '../sandbox/probe-sandbox';

/** Storage failures reach the use cases translated once (src/storage/kvs-errors.ts), from the real SDK's errors. */
describe('KVS and queue errors, translated in storage/', () => {
  it('a conditional write that loses is a conflict: the lease is busy, the replay is seen', async () => {
    const sandbox = createProbeSandbox();
    const now = new Date();
    await sandbox.runAsApp(async () => {
      expect(await leaseRepository.acquire('lane-a', 't1', 60, now)).toMatchObject({ acquired: true });
      const second = await leaseRepository.acquire('lane-a', 't2', 60, now);
      expect(second).toMatchObject({ acquired: false });
      const until = new Date(now.getTime() + 60_000);
      expect(await replayGuard.claim('sig-1', until, now)).toEqual({ outcome: 'claimed' });
      expect(await replayGuard.claim('sig-1', until, now)).toEqual({ outcome: 'in-flight', retryAfterSeconds: 60 });
      const conflict = await kvs
        .set('kp', 1, { keyPolicy: 'FAIL_IF_EXISTS' })
        .then(() => kvs.set('kp', 2, { keyPolicy: 'FAIL_IF_EXISTS' }).catch((e: unknown) => e));
      expect(conflict).toBeInstanceOf(ConflictError);
    });
  });

  it('the KVS quota is transient (retry later), from a plain call and from a transaction', async () => {
    const sandbox = createProbeSandbox();
    sandbox.kvs.setQuotaEnforcement(true);
    const error = await sandbox
      .runAsApp(async () => {
        for (let i = 0; i < 5000; i++) await cacheRepository.put(`q${i}`, i, 60);
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ reason: 'storage-rate-limited', retryAfterMs: 60_000 });
    const fromTransaction = await sandbox
      .runAsApp(() => kvs.transact().set('tx-a', 1).set('tx-b', 2).execute())
      .catch((e: unknown) => e);
    expect(fromTransaction).toBeInstanceOf(TransientError);
  });

  it('a request the app got wrong is passed on unchanged (a bug, not a retry)', async () => {
    const sandbox = createProbeSandbox();
    const error = await sandbox.runAsApp(() => kvs.set('bad/key', 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForgeKvsAPIError);
    expect(error).toMatchObject({ responseDetails: { status: 400 } });
  });

  it.each([
    [
      'KVS 503',
      new ForgeKvsAPIError({ status: 503, statusText: 'x' }, { code: 'X', message: 'm' }),
      'upstream-unavailable',
    ],
    ['queue rate limit', new RateLimitError('too many events'), 'rate-limited'],
    ['queue server error', new InternalServerError('boom', 500), 'upstream-unavailable'],
  ])('%s → TransientError %s', (_label, error, reason) => {
    expect(translateStorageError(error)).toMatchObject({ name: 'TransientError', reason });
  });

  it.each([
    [
      'condition failed',
      new ForgeKvsAPIError({ status: 409, statusText: 'x' }, { code: 'CONDITION_CHECK_FAILED', message: 'm' }),
    ],
    ['key conflict', new ForgeKvsAPIError({ status: 409, statusText: 'x' }, { code: 'KEY_CONFLICT', message: 'm' })],
  ])('%s → ConflictError', (_label, error) => {
    expect(translateStorageError(error)).toBeInstanceOf(ConflictError);
  });
});
