import { createKvsService, type KvsState } from '../../../sandbox/kvs';
import { createClock, createPackageClient, createSandboxKvs } from './kvs-package-client';

describe('sandbox KVS snapshot and restore (state across `npm start` restarts)', () => {
  it('restores plain keys, secrets, entities, metadata and TTLs from a JSON round-tripped snapshot', async () => {
    const clock = createClock(Date.UTC(2025, 2, 1));
    const first = createSandboxKvs({ now: clock.now });
    await first.kvs.set('config:main', { projects: ['SEC'] });
    await first.kvs.set('lease:1', 'me', { ttl: { value: 1, unit: 'MINUTES' } });
    await first.kvs.setSecret('platform:secret', 'whsec_123');
    await first.kvs.entity('finding-link').set('f:1', { issueKey: 'SEC-1' });
    clock.advance(5_000);
    await first.kvs.set('config:main', { projects: ['SEC', 'OPS'] });

    const persisted = JSON.parse(JSON.stringify(first.service.snapshot())) as KvsState;
    const second = createPackageClient(createKvsService({ now: clock.now, state: persisted }));

    await expect(
      second.kvs.get('config:main', { metadataFields: ['CREATED_AT', 'UPDATED_AT'] as never }),
    ).resolves.toEqual({
      key: 'config:main',
      value: { projects: ['SEC', 'OPS'] },
      createdAt: Date.UTC(2025, 2, 1) / 1000,
      updatedAt: Date.UTC(2025, 2, 1, 0, 0, 5) / 1000,
    });
    await expect(second.kvs.getSecret('platform:secret')).resolves.toBe('whsec_123');
    await expect(second.kvs.entity('finding-link').get('f:1')).resolves.toEqual({ issueKey: 'SEC-1' });
    await expect(second.kvs.get('lease:1')).resolves.toBe('me');
    clock.advance(55_000);
    await expect(second.kvs.get('lease:1')).resolves.toBeUndefined();
  });

  it('leaves expired values out of a snapshot and hands out copies, not its own state', async () => {
    const clock = createClock();
    const { kvs, service } = createSandboxKvs({ now: clock.now });
    await kvs.set('gone', 1, { ttl: { value: 1, unit: 'SECONDS' } });
    await kvs.set('kept', { list: [1] });
    clock.advance(1_000);
    const snapshot = service.snapshot();
    expect(Object.keys(snapshot.keys)).toEqual(['kept']);
    (snapshot.keys.kept?.value as { list: number[] }).list.push(2);
    await expect(kvs.get('kept')).resolves.toEqual({ list: [1] });
  });

  it('refuses a malformed snapshot with a precise error', () => {
    expect(() => createKvsService({ state: { version: 2, keys: {}, secrets: {}, entities: {} } as never })).toThrow(
      /version/,
    );
    expect(() =>
      createKvsService({
        state: {
          version: 1,
          keys: { a: { value: 1, createdAt: 'yesterday', updatedAt: 1 } },
          secrets: {},
          entities: {},
        } as never,
      }),
    ).toThrow(/keys\.a\.createdAt/);
  });
});
