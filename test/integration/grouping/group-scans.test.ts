import { buildFinding } from '../../builders/finding';
import { baseConfig, createCallbackKit, SHARED_SECRET, type CallbackKit } from '../callbacks/callback-kit';
import { jiraIssues, postFindings, quietAppLogs } from '../findings/findings-sandbox';

/** A complete scan that no longer reports some members of a group: their rows are marked, the issue stays open. */
describe('group issue and complete scans', () => {
  beforeAll(quietAppLogs);
  let kit: CallbackKit;
  afterEach(() => kit?.close());

  const members = (numbers: number[]) =>
    numbers.map((n) =>
      buildFinding({
        id: `sg-${n}`,
        title: 'XML injection',
        scanner: 'semgrep',
        attributes: { ruleId: 'xml-injection' },
        asset: { id: 'web-shop', name: 'web-shop' },
        location: { file: `src/file-${n}.ts`, line: n + 1 },
        updatedAt: undefined,
      }),
    );

  async function post(numbers: number[], complete: boolean): Promise<void> {
    const body = {
      source: 'conviso',
      findings: members(numbers),
      ...(complete ? { scope: { asset: 'web-shop', source: 'semgrep' }, complete: true } : {}),
    };
    expect((await postFindings(kit.sandbox, body, { secret: SHARED_SECRET })).status).toBe(202);
    await kit.sandbox.settle();
  }

  it('members a complete scan no longer reports are struck through; reported again → open', async () => {
    kit = await createCallbackKit({
      config: (url) => ({
        ...baseConfig(url),
        defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug', grouping: 'rule' },
      }),
    });
    const rows = async () => {
      const issues = await jiraIssues(kit.sandbox);
      expect(issues).toHaveLength(1);
      const issue = issues[0]!;
      const table = JSON.stringify(issue.fields['description']);
      const category = (issue.fields['status'] as { statusCategory: { key: string } }).statusCategory.key;
      const resolved = [...table.matchAll(/src\/file-(\d+)\.ts:\d+"[^\]]*?"strike"/g)].map((m) => Number(m[1]));
      return { summary: issue.fields['summary'], category, resolved: resolved.sort((a, b) => a - b) };
    };
    await post([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], false);
    expect(await rows()).toEqual({
      summary: 'semgrep: xml-injection — 10 findings in web-shop',
      category: 'new',
      resolved: [],
    });

    await post([0, 1, 2, 3, 4, 5, 6], true);
    expect(await rows()).toMatchObject({ category: 'new', resolved: [7, 8, 9] });
    // The platform hears of the three per member, in one grouped callback naming the group issue.
    const [issue] = await jiraIssues(kit.sandbox);
    const closed = kit.statusCallbacks();
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({
      findingStatus: 'resolved',
      actor: null,
      issue: { key: issue!.key },
      group: { label: 'xml-injection' },
      batch: { index: 0, count: 1 },
      jira: { statusCategory: 'new', resolution: null },
    });
    expect(closed[0]!['finding']).toBeUndefined();
    const ids = (closed[0]!['links'] as Array<{ finding: { id: string }; issue: { key: string } }>).map(
      (l) => `${l.finding.id}→${l.issue.key}`,
    );
    expect(ids.sort()).toEqual(['sg-7', 'sg-8', 'sg-9'].map((id) => `${id}→${issue!.key}`));

    await post([0, 1, 2, 3, 4, 5, 6, 8], true);
    expect(await rows()).toMatchObject({ category: 'new', resolved: [7, 9] });
    expect(kit.statusCallbacks()).toHaveLength(1); // a reopening by the platform is no Jira → platform news
  }, 120_000);

  it('a complete scan closing all 60 members: status_changed for each, ≤ 50 per callback, the issue done', async () => {
    kit = await createCallbackKit({
      config: (url) => ({
        ...baseConfig(url),
        completeScans: { maxCloseShare: 1 },
        defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug', grouping: 'rule' },
      }),
    });
    const all = Array.from({ length: 60 }, (_, n) => n);
    await post(all, false);
    await post([], true);
    const [issue] = await jiraIssues(kit.sandbox);
    expect((issue!.fields['status'] as { statusCategory: { key: string } }).statusCategory.key).toBe('done');
    const closed = kit.statusCallbacks();
    // Two closing chunks (50 + 10 findings): one callback each, all naming the group issue.
    expect(closed.map((c) => (c['links'] as unknown[]).length).sort((a, b) => a - b)).toEqual([10, 50]);
    const ids = closed.flatMap((c) => (c['links'] as Array<{ finding: { id: string } }>).map((l) => l.finding.id));
    expect(ids.sort()).toEqual(all.map((n) => `sg-${n}`).sort());
    expect(new Set(closed.map((c) => c['id'])).size).toBe(2);
    for (const callback of closed)
      expect(callback).toMatchObject({ issue: { key: issue!.key }, group: { label: 'xml-injection' }, actor: null });
    // The chunk that closed the last members moved the issue: its callback says done.
    expect(closed.map((c) => (c['jira'] as { statusCategory: string }).statusCategory)).toContain('done');
  }, 120_000);
});
