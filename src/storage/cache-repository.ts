import { kvs } from './kvs-client';
import { keys } from './keys';

/** Small JSON cache with a TTL (Jira metadata, email → account id), shared by every invocation. */
export const cacheRepository = {
  async get(name: string): Promise<unknown> {
    return kvs.get(keys.cache(name));
  },
  async put(name: string, value: unknown, ttlSeconds: number): Promise<void> {
    await kvs.set(keys.cache(name), value, { ttl: { value: ttlSeconds, unit: 'SECONDS' } });
  },
  async delete(name: string): Promise<void> {
    await kvs.delete(keys.cache(name));
  },
};
