import { KvsNamespace } from '../../../sandbox/kvs/kvs-store';

/**
 * The sandbox KVS keeps its keys sorted for queries by merging in what changed since the last query (a full sort of
 * a large keyspace after every write made the 100,000-finding bench crawl). Seeded random writes, deletes and
 * expiries, checked against a plain sort after each step.
 */
describe('the sandbox KVS sorted key index', () => {
  const seed = 20261130;
  it(`lists exactly the live keys in order after random changes (seed ${seed})`, () => {
    console.log(`sorted-keys seed ${seed}`);
    let state = seed;
    const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 0x1_0000_0000;
    let now = 1_000_000;
    const namespace = new KvsNamespace(() => now);
    const model = new Map<string, number | undefined>(); // key → expiry
    const live = () =>
      [...model]
        .filter(([, expiresAt]) => expiresAt === undefined || expiresAt > now)
        .map(([key]) => key)
        .sort();
    for (let step = 0; step < 3000; step++) {
      const key = `k:${Math.floor(random() * 400)
        .toString(36)
        .padStart(2, '0')}`;
      const roll = random();
      if (roll < 0.5) {
        const ttl = random() < 0.2 ? 1 + Math.floor(random() * 50) : undefined;
        namespace.write(key, { step }, ttl);
        model.set(key, ttl === undefined ? undefined : now + ttl);
      } else if (roll < 0.75) {
        namespace.remove(key);
        model.delete(key);
      } else if (roll < 0.85) {
        now += Math.floor(random() * 20);
      } else {
        expect(namespace.listKeys()).toEqual(live());
      }
    }
    expect(namespace.listKeys()).toEqual(live());
    expect(live().length).toBeGreaterThan(50);
  });
});
