import { buildFinding } from '../../builders/finding';
import { baseConfig, createCallbackKit, SHARED_SECRET, type CallbackKit } from '../callbacks/callback-kit';
import { batch, jiraIssues, postFindings, quietAppLogs } from '../findings/findings-sandbox';

/** Jira → platform for a group issue: one person's change reaches the platform for every member. */
describe('group issue → platform', () => {
  beforeAll(quietAppLogs);
  let kit: CallbackKit;
  afterEach(() => kit?.close());

  it('resolving the group issue in Jira sends status_changed to all 60 members, ≤ 50 per callback', async () => {
    kit = await createCallbackKit({
      config: (url) => ({
        ...baseConfig(url),
        defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug', grouping: 'rule' },
      }),
    });
    const members = Array.from({ length: 60 }, (_, i) =>
      buildFinding({ id: `g-${i}`, asset: { id: 'shop', name: 'shop' }, attributes: { ruleId: 'xml-injection' } }),
    );
    await postFindings(kit.sandbox, batch(members), { secret: SHARED_SECRET });
    await kit.sandbox.settle();
    const issues = await jiraIssues(kit.sandbox);
    expect(issues).toHaveLength(1);
    const issueKey = issues[0]!.key;
    // Every member's issue_linked names the group issue.
    const linked = kit
      .acceptedOfType('finding.issue_linked')
      .flatMap((c) => c['links'] as Array<{ finding: { id: string }; issue: { key: string } }>);
    expect(linked.map((l) => l.finding.id).sort()).toEqual(members.map((m) => m.id).sort());
    expect(new Set(linked.map((l) => l.issue.key))).toEqual(new Set([issueKey]));

    const dev = kit.sandbox.jira.as(kit.users.developer);
    for (const step of ['In Progress', 'In Review', 'Done']) await dev.transition(issueKey, step);
    await kit.sandbox.settle();

    const done = kit.statusCallbacks().filter((c) => c['findingStatus'] === 'resolved');
    expect(done.map((c) => (c['links'] as unknown[]).length).sort()).toEqual([10, 50]);
    const ids = done.flatMap((c) => (c['links'] as Array<{ finding: { id: string } }>).map((l) => l.finding.id));
    expect(ids.sort()).toEqual(members.map((m) => m.id).sort());
    for (const callback of done) {
      expect(callback).toMatchObject({
        issue: { key: issueKey },
        group: { label: 'xml-injection' },
        batch: { count: 2 },
        jira: { statusCategory: 'done' },
      });
      expect(callback['finding']).toBeUndefined();
    }
  }, 120_000); // two syncs and three user transitions; slow on a busy machine

  it.each([
    ['ignore', 'a changed member gets no issue; a new finding of the rule gets a new issue of its own'],
    ['recreate', 'a changed member brings a new issue listing all 60 members'],
  ] as const)(
    'deleting the group issue: issue_deleted for all 60 members (≤ 50 each); onDeletedIssue %s — %s',
    async (onDeletedIssue, _expectation) => {
      kit = await createCallbackKit({
        config: (url) => ({
          ...baseConfig(url),
          onDeletedIssue,
          defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug', grouping: 'rule' },
        }),
      });
      const member = (i: number, title = 'XML injection') =>
        buildFinding({
          id: `d-${i}`,
          title,
          asset: { id: 'shop', name: 'shop' },
          attributes: { ruleId: 'xml-injection' },
          updatedAt: '2024-05-01T00:00:00Z',
        });
      const members = Array.from({ length: 60 }, (_, i) => member(i));
      await postFindings(kit.sandbox, batch(members), { secret: SHARED_SECRET });
      await kit.sandbox.settle();
      const [issue] = await jiraIssues(kit.sandbox);
      await kit.sandbox.jira.as(kit.users.admin).delete(issue!.key);
      await kit.sandbox.settle();

      const deleted = kit.acceptedOfType('finding.issue_deleted');
      expect(deleted.map((c) => (c['links'] as unknown[]).length).sort()).toEqual([10, 50]);
      const ids = deleted.flatMap((c) => (c['links'] as Array<{ finding: { id: string } }>).map((l) => l.finding.id));
      expect(ids.sort()).toEqual(members.map((m) => m.id).sort());
      for (const callback of deleted)
        expect(callback).toMatchObject({
          issue: { key: issue!.key },
          group: { label: 'xml-injection' },
          batch: { count: 2 },
          onLaterUpdate: onDeletedIssue,
        });

      // Member 59 changes: it is not in the chunk with most of the others, so the policy must hold for all.
      await postFindings(
        kit.sandbox,
        batch([{ ...member(59, 'XML injection (changed)'), updatedAt: '2024-05-02T00:00:00Z' }]),
        {
          secret: SHARED_SECRET,
        },
      );
      await kit.sandbox.settle();
      let issues = await jiraIssues(kit.sandbox);
      if (onDeletedIssue === 'ignore') {
        expect(issues).toHaveLength(0);
        await postFindings(kit.sandbox, batch([member(60)]), { secret: SHARED_SECRET });
        await kit.sandbox.settle();
        issues = await jiraIssues(kit.sandbox);
        expect(issues.map((i) => i.fields['summary'])).toEqual(['CodeQL: xml-injection — 1 finding in shop']);
      } else {
        expect(issues.map((i) => i.fields['summary'])).toEqual(['CodeQL: xml-injection — 60 findings in shop']);
        expect(issues[0]!.key).not.toBe(issue!.key);
      }
    },
    120_000,
  );
});
