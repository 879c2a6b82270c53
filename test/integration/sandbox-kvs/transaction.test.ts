import { Filter, FilterConditions } from '@forge/kvs';
import type { BaseFilter } from '@forge/kvs/out/entity-query';
import { createKvsService } from '../../../sandbox/kvs';
import { captureRequest, createClock, createSandboxKvs, parseBody } from './kvs-package-client';

interface Link {
  issueKey: string;
  status: string;
  version: number;
}

const ENTITY = 'finding-link';

describe('sandbox KVS transactions through the real @forge/kvs', () => {
  it("gets TransactionBuilderImpl's body: set / delete / check arrays, conditions { and | or: [...] }", async () => {
    const request = await captureRequest((kvs) =>
      kvs
        .transact()
        .set('plain:1', 'v', undefined, { ttl: { value: 1, unit: 'DAYS' } })
        .set(
          'f:1',
          { status: 'open' },
          {
            entityName: ENTITY,
            conditions: new Filter<{ status: string }>().and('status', FilterConditions.notExists()),
          },
        )
        .delete('plain:2')
        .check('f:2', {
          entityName: ENTITY,
          conditions: new Filter<{ status: string }>().or('status', FilterConditions.equalTo('done')),
        })
        .execute(),
    );
    expect(request).toEqual({
      path: '/api/v1/transaction',
      body: {
        set: [
          { key: 'plain:1', value: 'v', options: { ttl: { value: 1, unit: 'DAYS' } } },
          {
            key: 'f:1',
            value: { status: 'open' },
            entityName: ENTITY,
            conditions: { and: [{ property: 'status', condition: 'NOT_EXISTS', values: [true] }] },
          },
        ],
        delete: [{ key: 'plain:2' }],
        check: [
          {
            key: 'f:2',
            entityName: ENTITY,
            conditions: { or: [{ property: 'status', condition: 'EQUAL_TO', values: ['done'] }] },
          },
        ],
      },
    });
  });

  it('applies sets (with TTL) and deletes of plain keys together', async () => {
    const clock = createClock();
    const { kvs } = createSandboxKvs({ now: clock.now });
    await kvs.set('outbox:old', 'sent');
    await kvs
      .transact()
      .set('outbox:1', { event: 'issue_linked' })
      .set('lease:1', 'me', undefined, { ttl: { value: 10, unit: 'SECONDS' } })
      .delete('outbox:old')
      .delete('never-existed')
      .execute();
    await expect(kvs.get('outbox:1')).resolves.toEqual({ event: 'issue_linked' });
    await expect(kvs.get('outbox:old')).resolves.toBeUndefined();
    clock.advance(10_000);
    await expect(kvs.get('lease:1')).resolves.toBeUndefined();
  });

  it('is all or nothing: one invalid operation rejects the whole transaction and writes nothing', async () => {
    const { kvs, service } = createSandboxKvs();
    await kvs.set('keep', 'original');
    const before = service.snapshot();
    await expect(kvs.transact().set('first:ok', 1).delete('keep').set('bad/key', 2).execute()).rejects.toMatchObject({
      code: 'INVALID_KEY',
      responseDetails: { status: 400 },
      message: expect.stringContaining('set[1]'),
    });
    await expect(
      kvs
        .transact()
        .set('first:ok', 1)
        .set('too:deep', JSON.parse('['.repeat(40) + ']'.repeat(40)))
        .execute(),
    ).rejects.toMatchObject({ code: 'MAX_DEPTH' });
    expect(service.snapshot()).toEqual(before);
  });

  it('accepts 25 operations and refuses 26 with TRANSACTION_SIZE_EXCEEDED', async () => {
    const { kvs, service } = createSandboxKvs();
    const build = (count: number) => {
      const transaction = kvs.transact();
      for (let index = 0; index < count; index += 1) {
        if (index % 2 === 0) transaction.set(`op:${index}`, index);
        else transaction.delete(`op:${index}`);
      }
      return transaction;
    };
    await expect(build(26).execute()).rejects.toMatchObject({
      code: 'TRANSACTION_SIZE_EXCEEDED',
      responseDetails: { status: 400 },
    });
    expect(service.snapshot().keys).toEqual({});
    await expect(build(25).execute()).resolves.toBeUndefined();
    expect(Object.keys(service.snapshot().keys)).toHaveLength(13);
  });

  it('refuses a key used twice with DUPLICATE_KEYS', async () => {
    const { kvs } = createSandboxKvs();
    await expect(kvs.transact().set('twice', 1).delete('twice').execute()).rejects.toMatchObject({
      code: 'DUPLICATE_KEYS',
    });
    await expect(kvs.get('twice')).resolves.toBeUndefined();
  });

  it('refuses an empty transaction', () => {
    const response = createKvsService().handle('/api/v1/transaction', JSON.stringify({}));
    expect(response.status).toBe(400);
    expect(parseBody(response)).toMatchObject({ code: 'TRANSACTION_EMPTY' });
  });

  describe('custom-entity conditions', () => {
    async function seedLink(kvs: ReturnType<typeof createSandboxKvs>['kvs'], key: string, link: Link): Promise<void> {
      await kvs.transact().set(key, link, { entityName: ENTITY }).execute();
    }

    it('NOT_EXISTS creates once: the second create is refused with 409 CONDITION_CHECK_FAILED', async () => {
      const { kvs } = createSandboxKvs();
      const create = (issueKey: string) =>
        kvs
          .transact()
          .set<Link>(
            'finding:42',
            { issueKey, status: 'open', version: 1 },
            {
              entityName: ENTITY,
              conditions: new Filter<Link>().and('issueKey', FilterConditions.notExists()),
            },
          )
          .set('audit:42', `created ${issueKey}`)
          .execute();
      await expect(create('SEC-1')).resolves.toBeUndefined();
      await expect(create('SEC-2')).rejects.toMatchObject({
        code: 'CONDITION_CHECK_FAILED',
        responseDetails: { status: 409 },
      });
      await expect(kvs.entity<Link>(ENTITY).get('finding:42')).resolves.toEqual({
        issueKey: 'SEC-1',
        status: 'open',
        version: 1,
      });
      await expect(kvs.get('audit:42')).resolves.toBe('created SEC-1');
    });

    it('EQUAL_TO guards an optimistic update (compare-and-set on a version attribute)', async () => {
      const { kvs } = createSandboxKvs();
      await seedLink(kvs, 'finding:7', { issueKey: 'SEC-7', status: 'open', version: 1 });
      const update = (expectedVersion: number, status: string) =>
        kvs
          .transact()
          .set<Link>(
            'finding:7',
            { issueKey: 'SEC-7', status, version: expectedVersion + 1 },
            {
              entityName: ENTITY,
              conditions: new Filter<Link>().and('version', FilterConditions.equalTo(expectedVersion)),
            },
          )
          .execute();
      await expect(update(1, 'in_progress')).resolves.toBeUndefined();
      await expect(update(1, 'resolved')).rejects.toMatchObject({ code: 'CONDITION_CHECK_FAILED' });
      await expect(kvs.entity<Link>(ENTITY).get('finding:7')).resolves.toEqual({
        issueKey: 'SEC-7',
        status: 'in_progress',
        version: 2,
      });
    });

    it('check() with EXISTS blocks the plain writes of the same transaction when the entity is missing', async () => {
      const { kvs, service } = createSandboxKvs();
      const run = () =>
        kvs
          .transact()
          .check<Link>('finding:9', {
            entityName: ENTITY,
            conditions: new Filter<Link>().and('issueKey', FilterConditions.exists()),
          })
          .set('callback:9', { event: 'status_changed' })
          .execute();
      await expect(run()).rejects.toMatchObject({
        code: 'CONDITION_CHECK_FAILED',
        message: expect.stringContaining('does not exist'),
      });
      expect(service.snapshot().keys).toEqual({});
      await seedLink(kvs, 'finding:9', { issueKey: 'SEC-9', status: 'open', version: 1 });
      await expect(run()).resolves.toBeUndefined();
      await expect(kvs.get('callback:9')).resolves.toEqual({ event: 'status_changed' });
    });

    it('evaluates or-filters and conditional deletes', async () => {
      const { kvs } = createSandboxKvs();
      await seedLink(kvs, 'finding:1', { issueKey: 'SEC-1', status: 'done', version: 3 });
      const deleteWhenClosed = () =>
        kvs
          .transact()
          .delete<Link>('finding:1', {
            entityName: ENTITY,
            conditions: new Filter<Link>()
              .or('status', FilterConditions.equalTo('done'))
              .or('status', FilterConditions.equalTo('wontfix')),
          })
          .execute();
      const deleteWhenOpen = () =>
        kvs
          .transact()
          .delete<Link>('finding:1', {
            entityName: ENTITY,
            conditions: new Filter<Link>().and('status', FilterConditions.equalTo('open')),
          })
          .execute();
      await expect(deleteWhenOpen()).rejects.toMatchObject({ code: 'CONDITION_CHECK_FAILED' });
      await expect(kvs.entity(ENTITY).get('finding:1')).resolves.toBeDefined();
      await expect(deleteWhenClosed()).resolves.toBeUndefined();
      await expect(kvs.entity(ENTITY).get('finding:1')).resolves.toBeUndefined();
    });

    it.each([
      ['GREATER_THAN', FilterConditions.greaterThan(2), true],
      ['GREATER_THAN', FilterConditions.greaterThan(3), false],
      ['LESS_THAN_EQUAL_TO', FilterConditions.lessThanEqualTo(3), true],
      ['BETWEEN', FilterConditions.between(1, 3), true],
      ['BETWEEN', FilterConditions.between(4, 9), false],
      ['NOT_EQUAL_TO', FilterConditions.notEqualTo(3), false],
      ['GREATER_THAN on a string', FilterConditions.greaterThan('2'), false],
    ])('evaluates %s on a number attribute (%#)', async (_label, condition, holds) => {
      const { kvs } = createSandboxKvs();
      await seedLink(kvs, 'finding:n', { issueKey: 'SEC-N', status: 'open', version: 3 });
      const run = kvs
        .transact()
        .check<Link>('finding:n', { entityName: ENTITY, conditions: new Filter<Link>().and('version', condition) })
        .execute();
      if (holds) await expect(run).resolves.toBeUndefined();
      else await expect(run).rejects.toMatchObject({ code: 'CONDITION_CHECK_FAILED' });
    });

    it('evaluates BEGINS_WITH / CONTAINS / NOT_CONTAINS on a string attribute', async () => {
      const { kvs } = createSandboxKvs();
      await seedLink(kvs, 'finding:s', { issueKey: 'SEC-100', status: 'in_progress', version: 1 });
      const check = (conditions: BaseFilter<Link>) =>
        kvs.transact().check<Link>('finding:s', { entityName: ENTITY, conditions }).execute();
      await expect(
        check(new Filter<Link>().and('issueKey', FilterConditions.beginsWith('SEC-'))),
      ).resolves.toBeUndefined();
      await expect(
        check(new Filter<Link>().and('status', FilterConditions.contains('progress'))),
      ).resolves.toBeUndefined();
      await expect(
        check(new Filter<Link>().and('status', FilterConditions.notContains('progress'))),
      ).rejects.toMatchObject({
        code: 'CONDITION_CHECK_FAILED',
      });
    });

    it.each([
      [
        'conditions on a plain key',
        {
          set: [
            { key: 'plain', value: 1, conditions: { and: [{ property: 'a', condition: 'EXISTS', values: [true] }] } },
          ],
        },
        'BAD_REQUEST',
      ],
      [
        'a check without an entity',
        { check: [{ key: 'plain', conditions: { and: [{ property: 'a', condition: 'EXISTS', values: [true] }] } }] },
        'BAD_REQUEST',
      ],
      [
        'both and and or',
        {
          check: [
            {
              key: 'k1',
              entityName: ENTITY,
              conditions: {
                and: [{ property: 'a', condition: 'EXISTS', values: [true] }],
                or: [{ property: 'b', condition: 'EXISTS', values: [true] }],
              },
            },
          ],
        },
        'INVALID_FILTER_OPERATORS_COMBINATION',
      ],
      [
        'an empty filter list',
        { check: [{ key: 'k1', entityName: ENTITY, conditions: { and: [] } }] },
        'EMPTY_FILTER_OPERATOR',
      ],
      [
        'an unknown condition',
        {
          check: [
            {
              key: 'k1',
              entityName: ENTITY,
              conditions: { and: [{ property: 'a', condition: 'MATCHES', values: ['x'] }] },
            },
          ],
        },
        'INVALID_FILTER_CONDITION',
      ],
      [
        'BETWEEN with one value',
        {
          check: [
            {
              key: 'k1',
              entityName: ENTITY,
              conditions: { and: [{ property: 'a', condition: 'BETWEEN', values: [1] }] },
            },
          ],
        },
        'INSUFFICIENT_FILTER_VALUES',
      ],
      [
        'EQUAL_TO with an object value',
        {
          check: [
            {
              key: 'k1',
              entityName: ENTITY,
              conditions: { and: [{ property: 'a', condition: 'EQUAL_TO', values: [{}] }] },
            },
          ],
        },
        'INVALID_FILTER_VALUES',
      ],
      ['an invalid entity name', { set: [{ key: 'k1', entityName: 'Bad_Name', value: {} }] }, 'INVALID_ENTITY_TYPE'],
      ['a short entity name', { set: [{ key: 'k1', entityName: 'abc', value: {} }] }, 'ENTITY_TYPE_TOO_SHORT'],
      [
        'an entity value that is not an object',
        { set: [{ key: 'k1', entityName: ENTITY, value: 'text' }] },
        'INVALID_ENTITY_VALUE',
      ],
    ])('refuses %s with 400 %s', (_label, body, code) => {
      const service = createKvsService();
      const response = service.handle('/api/v1/transaction', JSON.stringify(body));
      expect(response.status).toBe(400);
      expect(parseBody(response)).toMatchObject({ code });
      expect(service.snapshot()).toEqual({ version: 1, keys: {}, secrets: {}, entities: {} });
    });
  });
});

describe('sandbox KVS custom entity endpoints', () => {
  it('serves entity get / set / delete, and answers entity queries with a clear NOT_SUPPORTED_BY_SANDBOX', async () => {
    const { kvs } = createSandboxKvs();
    const links = kvs.entity<Link>(ENTITY);
    await links.set('f:1', { issueKey: 'SEC-1', status: 'open', version: 1 });
    await expect(links.get('f:1')).resolves.toEqual({ issueKey: 'SEC-1', status: 'open', version: 1 });
    await links.delete('f:1');
    await expect(links.get('f:1')).resolves.toBeUndefined();
    await expect(links.query().index('by-status').getMany()).rejects.toMatchObject({
      code: 'NOT_SUPPORTED_BY_SANDBOX',
      responseDetails: { status: 400 },
    });
  });
});
