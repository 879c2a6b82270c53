import { SEARCH_INDEX_LAG_MAX_MS } from '../../../sandbox/jira';
import { buildKit, createIssue, type Kit } from './jira-test-kit';

const q = (jql: string, extra = '') => `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}${extra}`;

async function keys(kit: Kit, jql: string): Promise<string[]> {
  const res = await kit.call('GET', q(jql, '&fields=key&maxResults=100'));
  if (res.status !== 200) throw new Error(`${jql}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.issues.map((i: { key: string }) => i.key);
}

describe('Jira emulator: search/jql', () => {
  const kit = buildKit();
  let a: string, b: string, c: string, d: string;

  beforeAll(async () => {
    a = (await createIssue(kit, { summary: 'XSS in search', labels: ['finding-sync', 'xss'] })).key;
    kit.clock.advance(1000);
    b = (await createIssue(kit, { summary: 'SQLi in login', labels: ['finding-sync'], priority: { name: 'Highest' } }))
      .key;
    kit.clock.advance(1000);
    c = (
      await createIssue(kit, {
        project: { key: 'OPS' },
        issuetype: { name: 'Task' },
        summary: 'Open bucket',
        labels: ['cloud'],
      })
    ).key;
    kit.clock.advance(1000);
    d = (await createIssue(kit, { summary: 'Leaked key', labels: ['secrets'], customfield_10042: 9.1 })).key;
    await kit.call('PUT', `/rest/api/3/issue/${a}/properties/finding-sync`, { findingId: 'F-100', source: 'conviso' });
    await kit.call('PUT', `/rest/api/3/issue/${b}/properties/finding-sync`, { findingId: 'F-200', source: 'mayo' });
    await kit.emulator.as(kit.emulator.users.member).transition(b, 'In Progress');
    // These tests are about JQL, not the index: let every write reach it (the lag is tested below).
    kit.clock.advance(SEARCH_INDEX_LAG_MAX_MS);
  });

  it.each([
    ['project = SEC', () => [d, b, a]],
    ['project in (SEC, OPS) ORDER BY key ASC', () => [c, a, b, d]],
    ['labels = finding-sync ORDER BY created ASC', () => [a, b]],
    ['labels in (cloud, secrets) ORDER BY key DESC', () => [d, c]],
    ['project = SEC AND labels is EMPTY', () => []],
    ['status = "In Progress"', () => [b]],
    ['statusCategory = "To Do" AND project = SEC ORDER BY key ASC', () => [a, d]],
    ['statusCategory in (indeterminate, done)', () => [b]],
    ['statusCategory != new', () => [b]],
    ['issue.property[finding-sync].findingId = "F-200"', () => [b]],
    ['issue.property[finding-sync].source in (conviso, mayo) ORDER BY key ASC', () => [a, b]],
    ['key in (SEC-1, OPS-1) ORDER BY key ASC', () => [c, a]],
    ['project = SEC AND NOT labels = xss ORDER BY key ASC', () => [b, d]],
    ['(labels = xss OR labels = cloud) AND project = OPS', () => [c]],
    ['project = SEC ORDER BY priority DESC, key ASC', () => [b, a, d]],
    ['summary ~ "login"', () => [b]],
    ['cf[10042] >= 9', () => [d]],
    ['created >= "2026-01-15" AND project = OPS', () => [c]],
    ['resolution = Unresolved AND project = OPS', () => [c]],
  ])('%s', async (jql, expected) => {
    expect(await keys(kit, jql)).toEqual(expected());
  });

  it('pages with nextPageToken until isLast', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await kit.call(
        'GET',
        q(
          'project in (SEC, OPS) ORDER BY key ASC',
          `&maxResults=3&fields=summary${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`,
        ),
      );
      expect(res.status).toBe(200);
      pages += 1;
      seen.push(...res.body.issues.map((i: { key: string }) => i.key));
      expect(res.body.isLast).toBe(res.body.nextPageToken === undefined);
      token = res.body.nextPageToken;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toEqual([c, a, b, d]);
  });

  it('pages the same way through POST', async () => {
    const first = await kit.call('POST', '/rest/api/3/search/jql', {
      jql: 'project = SEC ORDER BY key ASC',
      maxResults: 2,
      fields: ['summary'],
    });
    expect(first.body.issues.map((i: { key: string }) => i.key)).toEqual([a, b]);
    expect(first.body.isLast).toBe(false);
    const second = await kit.call('POST', '/rest/api/3/search/jql', {
      jql: 'project = SEC ORDER BY key ASC',
      maxResults: 2,
      nextPageToken: first.body.nextPageToken,
    });
    expect(second.body.issues.map((i: { id: string }) => i.id)).toHaveLength(1);
    expect(second.body.isLast).toBe(true);
  });

  it('returns only ids by default and the requested fields and properties otherwise', async () => {
    const bare = await kit.call('GET', q(`key = ${a}`));
    expect(bare.body.issues[0].fields).toEqual({});
    const rich = await kit.call('GET', q(`key = ${a}`, '&fields=summary,status&properties=finding-sync'));
    expect(Object.keys(rich.body.issues[0].fields).sort()).toEqual(['status', 'summary']);
    expect(rich.body.issues[0].properties).toEqual({ 'finding-sync': { findingId: 'F-100', source: 'conviso' } });
  });

  it.each([
    ['', /Unbounded/],
    ['ORDER BY key', /Unbounded/],
    ['project = NOPE', /'NOPE' does not exist for the field 'project'/],
    ['status = "Exploded"', /does not exist for the field 'status'/],
    ['colour = red', /Field 'colour' does not exist/],
    ['key = SEC-999', /does not exist for field 'key'/],
    ['project = SEC AND', /Expecting/],
    ['labels ~ xss', /not supported/],
  ])('rejects %j with 400', async (jql, message) => {
    const res = await kit.call('GET', q(jql));
    expect(res.status).toBe(400);
    expect(res.body.errorMessages[0]).toMatch(message);
  });

  it('rejects a page token from another query', async () => {
    const first = await kit.call('GET', q('project = SEC', '&maxResults=1'));
    const res = await kit.call(
      'GET',
      q('project = OPS', `&nextPageToken=${encodeURIComponent(first.body.nextPageToken)}`),
    );
    expect(res.status).toBe(400);
  });

  it('only searches declared entity-property paths when an index is configured', async () => {
    kit.emulator.setEntityPropertyIndex([
      { propertyKey: 'finding-sync', extractions: [{ objectPath: 'findingId', type: 'string' }] },
    ]);
    try {
      expect(await keys(kit, 'issue.property[finding-sync].findingId = "F-100"')).toEqual([a]);
      expect(await keys(kit, 'issue.property[finding-sync].source = conviso')).toEqual([]);
    } finally {
      kit.emulator.setEntityPropertyIndex(undefined);
    }
  });

  it('lags behind writes by default: new issues unseen, reconcileIssues (≤ 50) reads its own writes', async () => {
    const lagging = buildKit();
    const created = await createIssue(lagging);
    expect((await lagging.call('GET', q('project = SEC'))).body.issues).toEqual([]);
    expect(
      (await lagging.call('GET', q('project = SEC', `&reconcileIssues=${created.id}`))).body.issues.map(
        (i: { id: string }) => i.id,
      ),
    ).toEqual([created.id]);
    const tooMany = Array.from({ length: 51 }, (_, i) => 10_000 + i);
    const refused = await lagging.call('POST', '/rest/api/3/search/jql', {
      jql: 'project = SEC',
      reconcileIssues: tooMany,
    });
    expect(refused.status).toBe(400);
    lagging.clock.advance(SEARCH_INDEX_LAG_MAX_MS + 1);
    expect((await lagging.call('GET', q('project = SEC'))).body.issues).toHaveLength(1);
  });

  it('shows an edited issue with its old values, and a deleted one, until the index catches up', async () => {
    const lagging = buildKit();
    lagging.emulator.faults.set({ searchIndexLag: { kind: 'fixed', ms: 5_000 } });
    const issue = await createIssue(lagging, { labels: ['before'] });
    lagging.clock.advance(5_001);
    await lagging.call('PUT', `/rest/api/3/issue/${issue.key}/properties/finding-sync`, { findingKey: 'k1' });
    await lagging.call('PUT', `/rest/api/3/issue/${issue.key}`, { fields: { labels: ['after'] } });
    expect(await keys(lagging, 'labels = before')).toEqual([issue.key]);
    expect(await keys(lagging, 'labels = after')).toEqual([]);
    expect(await keys(lagging, 'issue.property[finding-sync].findingKey = "k1"')).toEqual([]);
    lagging.clock.advance(2_000);
    await lagging.call('DELETE', `/rest/api/3/issue/${issue.key}`);
    lagging.clock.advance(3_500); // the edits are indexed now, the deletion is not
    expect(await keys(lagging, 'labels = after')).toEqual([issue.key]);
    expect(await keys(lagging, 'issue.property[finding-sync].findingKey = "k1"')).toEqual([issue.key]);
    lagging.clock.advance(2_000);
    expect(await keys(lagging, 'labels = after')).toEqual([]);
  });

  it('draws each lag from a seeded distribution: the same seed gives the same schedule', async () => {
    const visibleAfter = async (seed: number) => {
      const kit2 = buildKit();
      kit2.emulator.faults.set({ searchIndexLag: { kind: 'random', seed } });
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await createIssue(kit2, { summary: `Issue ${i}` })).key);
      const seen: number[] = [];
      for (let t = 0; t <= SEARCH_INDEX_LAG_MAX_MS; t += 250) {
        seen.push((await keys(kit2, 'project = SEC')).length);
        kit2.clock.advance(250);
      }
      return seen;
    };
    const first = await visibleAfter(7);
    expect(await visibleAfter(7)).toEqual(first);
    expect(first[0]).toBe(0);
    expect(first[first.length - 1]).toBe(20);
    expect(first.findIndex((n) => n === 20)).toBeGreaterThan(8); // not all within 2 s
  });
});
