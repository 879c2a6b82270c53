import { ForgeKvsAPIError, MetadataField, WhereConditions } from '@forge/kvs';
import { createKvsService } from '../../../sandbox/kvs';
import { captureRequest, createClock, createSandboxKvs, parseBody } from './kvs-package-client';

async function seed(kvs: ReturnType<typeof createSandboxKvs>['kvs'], keys: string[]): Promise<void> {
  for (const key of keys) await kvs.set(key, { key });
}

describe('sandbox KVS query through the real @forge/kvs', () => {
  it('sends limit, after (the cursor), where and options as the package builds them', async () => {
    const request = await captureRequest((kvs) =>
      kvs
        .query({ metadataFields: [MetadataField.EXPIRE_TIME] })
        .where('key', WhereConditions.beginsWith('link:'))
        .cursor('abc')
        .limit(5)
        .getMany(),
    );
    expect(request).toEqual({
      path: '/api/v1/query',
      body: {
        limit: 5,
        after: 'abc',
        where: [{ property: 'key', condition: 'BEGINS_WITH', values: ['link:'] }],
        options: { metadataFields: ['EXPIRE_TIME'] },
      },
    });
  });

  it('returns matching keys in ascending key order, 10 by default, with a cursor while more remain', async () => {
    const { kvs } = createSandboxKvs();
    const links = Array.from({ length: 23 }, (_, index) => `link:${String(index).padStart(3, '0')}`);
    await seed(kvs, [...links].reverse());
    await seed(kvs, ['linl:after', 'lin:before', 'config', 'link']);

    const seen: string[] = [];
    let cursor: string | undefined;
    const pageSizes: number[] = [];
    do {
      const query = kvs.query().where('key', WhereConditions.beginsWith('link:'));
      const page = await (cursor === undefined ? query : query.cursor(cursor)).getMany<{ key: string }>();
      pageSizes.push(page.results.length);
      for (const result of page.results) {
        expect(result.value).toEqual({ key: result.key });
        seen.push(result.key);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);

    expect(pageSizes).toEqual([10, 10, 3]);
    expect(seen).toEqual(links);
  });

  it('returns no cursor when the last page is exactly full', async () => {
    const { kvs } = createSandboxKvs();
    await seed(kvs, ['a:1', 'a:2', 'a:3', 'a:4']);
    const first = await kvs.query().where('key', WhereConditions.beginsWith('a:')).limit(2).getMany();
    expect(first.results.map((result) => result.key)).toEqual(['a:1', 'a:2']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await kvs
      .query()
      .where('key', WhereConditions.beginsWith('a:'))
      .limit(2)
      .cursor(first.nextCursor as string)
      .getMany();
    expect(second.results.map((result) => result.key)).toEqual(['a:3', 'a:4']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('iterates every key when there is no where clause, and getOne returns the first', async () => {
    const { kvs } = createSandboxKvs();
    await seed(kvs, ['zz', 'aa', 'mm']);
    const page = await kvs.query().limit(20).getMany();
    expect(page.results.map((result) => result.key)).toEqual(['aa', 'mm', 'zz']);
    await expect(kvs.query().getOne()).resolves.toEqual({ key: 'aa', value: { key: 'aa' } });
    await expect(kvs.query().where('key', WhereConditions.beginsWith('nothing')).getOne()).resolves.toBeUndefined();
  });

  it('never returns secrets or expired values', async () => {
    const clock = createClock(Date.UTC(2025, 0, 1, 12, 0, 0));
    const { kvs } = createSandboxKvs({ now: clock.now });
    await kvs.setSecret('cfg:secret', 'hidden');
    await kvs.set('cfg:short', 1, { ttl: { value: 1, unit: 'SECONDS' } });
    await kvs.set('cfg:long', 2, { ttl: { value: 1, unit: 'HOURS' } });
    clock.advance(1_000);
    const page = await kvs
      .query({ metadataFields: [MetadataField.EXPIRE_TIME] })
      .where('key', WhereConditions.beginsWith('cfg:'))
      .getMany();
    expect(page.results).toEqual([{ key: 'cfg:long', value: 2, expireTime: '2025-01-01T13:00:00Z' }]);
  });

  it('accepts limit 20 and refuses 0 and 21 with 400 LIST_QUERY_LIMIT_EXCEEDED, as @forge/kvs shows it', async () => {
    const { kvs } = createSandboxKvs();
    await seed(
      kvs,
      Array.from({ length: 30 }, (_, index) => `item:${String(index).padStart(3, '0')}`),
    );
    const page = await kvs.query().limit(20).getMany();
    expect(page.results).toHaveLength(20);
    expect(page.nextCursor).toEqual(expect.any(String));
    for (const limit of [0, 21, 100]) {
      const error = await kvs
        .query()
        .limit(limit)
        .getMany()
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      // The package's own error class, with the service's code and status.
      expect(error).toBeInstanceOf(ForgeKvsAPIError);
      expect(error).toMatchObject({ code: 'LIST_QUERY_LIMIT_EXCEEDED', responseDetails: { status: 400 } });
    }
  });

  it("accepts up to 100 under the errors page's reading (queryLimitReading: 'errors-page')", async () => {
    const { kvs } = createSandboxKvs({ queryLimitReading: 'errors-page' });
    await seed(
      kvs,
      Array.from({ length: 120 }, (_, index) => `item:${String(index).padStart(3, '0')}`),
    );
    expect((await kvs.query().limit(100).getMany()).results).toHaveLength(100);
    await expect(kvs.query().limit(101).getMany()).rejects.toMatchObject({ code: 'LIST_QUERY_LIMIT_EXCEEDED' });
  });

  it('treats a numeric beginsWith value as its decimal text', async () => {
    const { kvs } = createSandboxKvs();
    await seed(kvs, ['12:a', '123', '2:b']);
    const page = await kvs.query().where('key', WhereConditions.beginsWith(12)).getMany();
    // Byte order: '3' (0x33) sorts before ':' (0x3A).
    expect(page.results.map((result) => result.key)).toEqual(['123', '12:a']);
  });

  it('refuses a cursor it did not issue', async () => {
    const { kvs } = createSandboxKvs();
    await expect(kvs.query().cursor('not-a-cursor').getMany()).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it.each([
    [
      'two where clauses',
      {
        where: [
          { property: 'key', condition: 'BEGINS_WITH', values: ['a'] },
          { property: 'key', condition: 'BEGINS_WITH', values: ['b'] },
        ],
      },
      'QUERY_WHERE_INVALID',
    ],
    [
      'a field other than key',
      { where: [{ property: 'value', condition: 'BEGINS_WITH', values: ['a'] }] },
      'QUERY_WHERE_FIELD_INVALID',
    ],
    [
      'a condition other than BEGINS_WITH',
      { where: [{ property: 'key', condition: 'EQUAL_TO', values: ['a'] }] },
      'INVALID_FILTER_CONDITION',
    ],
    [
      'two values',
      { where: [{ property: 'key', condition: 'BEGINS_WITH', values: ['a', 'b'] }] },
      'INVALID_FILTER_VALUES',
    ],
    [
      'a boolean value',
      { where: [{ property: 'key', condition: 'BEGINS_WITH', values: [true] }] },
      'INVALID_FILTER_VALUES',
    ],
    ['a fractional limit', { limit: 2.5 }, 'BAD_REQUEST'],
  ])('answers 400 for %s', (_label, body, code) => {
    const response = createKvsService().handle('/api/v1/query', JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(parseBody(response)).toMatchObject({ code });
  });
});
