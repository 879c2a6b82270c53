import { kvs } from '@forge/kvs';
import { createSandbox } from '../../../sandbox';
import { queryPrefixPage, scanPrefix } from '../../../src/storage/kvs-scan';
import { deadLetterRepository } from '../../../src/storage/dead-letter-repository';

// Forge refuses a KVS query `limit` above 20 (storage-api-query); the app's scans and paged lists
// must read every key in pages of at most 20 and hand back a cursor that continues exactly.
describe('the app under the KVS query page maximum of 20', () => {
  const sandbox = createSandbox();
  const keys = Array.from({ length: 57 }, (_, index) => `probe:${String(index).padStart(3, '0')}`);

  beforeAll(async () => {
    await sandbox.runAsApp(async () => {
      for (const key of keys) await kvs.set(key, { key });
    });
  });

  it('scans every key under a prefix, only ever asking for ≤ 20 per query', async () => {
    const before = sandbox.sdkCalls.length;
    const seen = await sandbox.runAsApp(async () => {
      const out: string[] = [];
      for await (const item of scanPrefix('probe:')) out.push(item.key);
      return out;
    });
    expect(seen).toEqual(keys);
    const queries = sandbox.sdkCalls.slice(before).filter((call) => call.path === '/api/v1/query');
    expect(queries).toHaveLength(3);
    expect(queries.every((call) => call.status === 200)).toBe(true);
  });

  it('pages of 50 come from several KVS pages, and the cursor resumes after the last value returned', async () => {
    const pages = await sandbox.runAsApp(async () => {
      const first = await queryPrefixPage('probe:', { limit: 50 });
      const second = await queryPrefixPage('probe:', {
        limit: 50,
        ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
      });
      return [first, second];
    });
    expect(pages[0]!.results.map((r) => r.key)).toEqual(keys.slice(0, 50));
    expect(pages[0]!.nextCursor).toEqual(expect.any(String));
    expect(pages[1]!.results.map((r) => r.key)).toEqual(keys.slice(50));
    expect(pages[1]!.nextCursor).toBeUndefined();
  });

  it('an admin list asking for 100 dead letters does not hit LIST_QUERY_LIMIT_EXCEEDED', async () => {
    const listed = await sandbox.runAsApp(() => deadLetterRepository.list({ limit: 100 }));
    expect(listed.letters).toEqual([]);
  });
});
