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

  it('can model search index lag, with reconcileIssues for read-after-write', async () => {
    const lagging = buildKit();
    lagging.emulator.faults.set({ searchIndexLagMs: 5_000 });
    const created = await createIssue(lagging);
    expect((await lagging.call('GET', q('project = SEC'))).body.issues).toEqual([]);
    expect(
      (await lagging.call('GET', q('project = SEC', `&reconcileIssues=${created.id}`))).body.issues.map(
        (i: { id: string }) => i.id,
      ),
    ).toEqual([created.id]);
    lagging.clock.advance(5_001);
    expect((await lagging.call('GET', q('project = SEC'))).body.issues).toHaveLength(1);
  });
});
