import { WhereConditions } from '@forge/kvs';
import { createClock, createSandboxKvs } from './kvs-package-client';

/**
 * Lazy TTL, a fault mode: Forge documents TTL but not how promptly an expired value disappears, so the
 * sandbox can keep each expired value readable for up to N more seconds (`setTtlLinger(N)`), the same
 * span for the same key and expiry on every run.
 */
describe('sandbox KVS lazy TTL (expired values linger)', () => {
  const KEYS = Array.from({ length: 40 }, (_, i) => `lease:${i}`);

  async function setAll(kvs: ReturnType<typeof createSandboxKvs>['kvs']) {
    for (const key of KEYS) await kvs.set(key, 'held', { ttl: { value: 60, unit: 'SECONDS' } });
  }

  async function visible(kvs: ReturnType<typeof createSandboxKvs>['kvs']): Promise<string[]> {
    const seen: string[] = [];
    for (const key of KEYS) if ((await kvs.get(key)) !== undefined) seen.push(key);
    return seen;
  }

  it('is off by default: every value is gone at its expiry', async () => {
    const clock = createClock();
    const { kvs } = createSandboxKvs({ now: clock.now });
    await setAll(kvs);
    clock.advance(60_000);
    expect(await visible(kvs)).toEqual([]);
  });

  it('keeps expired values readable, by get and by query, up to N seconds, then drops them', async () => {
    const clock = createClock();
    const { kvs, service } = createSandboxKvs({ now: clock.now });
    service.setTtlLinger(30);
    await setAll(kvs);
    clock.advance(60_000);
    const lingering = await visible(kvs);
    // Most linger (each for its own share of the 30 s), so an app that trusts the TTL alone is caught.
    expect(lingering.length).toBeGreaterThan(KEYS.length / 2);
    const page = await kvs.query().where('key', WhereConditions.beginsWith('lease:')).limit(20).getMany();
    expect(page.results.length).toBeGreaterThan(0);
    for (const { key } of page.results) expect(lingering).toContain(key);

    clock.advance(15_000);
    const later = await visible(kvs);
    expect(later.length).toBeLessThan(lingering.length);
    for (const key of later) expect(lingering).toContain(key);

    clock.advance(15_000);
    expect(await visible(kvs)).toEqual([]);
    expect(service.snapshot().keys).toEqual({});
  });

  it('lingers the same keys for the same spans on every run (reproducible)', async () => {
    const run = async () => {
      const clock = createClock();
      const { kvs } = createSandboxKvs({ now: clock.now, ttlLingerSeconds: 30 });
      await setAll(kvs);
      const seen: string[][] = [];
      for (let step = 0; step <= 6; step++) {
        clock.advance(step === 0 ? 60_000 : 5_000);
        seen.push(await visible(kvs));
      }
      return seen;
    };
    expect(await run()).toEqual(await run());
  });

  it('refuses a negative linger', () => {
    const { service } = createSandboxKvs();
    expect(() => service.setTtlLinger(-1)).toThrow('TTL linger must be ≥ 0 seconds');
  });
});
