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

    await post([0, 1, 2, 3, 4, 5, 6, 8], true);
    expect(await rows()).toMatchObject({ category: 'new', resolved: [7, 9] });
  }, 120_000);
});
