import { createCallbackKit, SHARED_SECRET, type CallbackKit } from './callback-kit';
import { verifySignature } from '../../../src/domain/signature';

describe('Jira → platform: a person moves a linked issue', () => {
  let kit: CallbackKit;
  beforeEach(async () => {
    kit = await createCallbackKit();
  });
  afterEach(async () => kit.close());

  it('sends finding.issue_linked when the sync links an issue, signed and with an idempotency id', async () => {
    const { issueKey } = await kit.linkIssue({ findingId: 'F-1' });
    await kit.sandbox.settle();
    const linked = kit.platform.accepted().filter((c) => (c.json as { type: string }).type === 'finding.issue_linked');
    expect(linked).toHaveLength(1);
    const callback = linked[0]!;
    expect(callback.path).toBe('/hooks/jira');
    expect(callback.json).toMatchObject({
      type: 'finding.issue_linked',
      links: [{ finding: { id: 'F-1', source: 'platform' }, issue: { key: issueKey, projectKey: 'SEC' } }],
    });
    expect(callback.headers['idempotency-key']).toBe((callback.json as { id: string }).id);
    // The emulator verified it independently; the app's own verifier agrees.
    expect(
      verifySignature({
        header: callback.headers['x-signature'],
        rawBody: callback.body,
        secrets: { current: SHARED_SECRET },
        nowSeconds: Math.floor(Date.now() / 1000),
      }).ok,
    ).toBe(true);
  });

  it('a user transition → exactly one signed callback with the mapped status, Jira status and actor', async () => {
    const { issueKey, issueId } = await kit.linkIssue({ findingId: 'F-2' });
    await kit.sandbox.settle();
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    await kit.sandbox.settle();

    const received = kit.platform.received.filter(
      (c) => (c.json as { type: string }).type === 'finding.status_changed',
    );
    expect(received).toHaveLength(1);
    expect(received[0]!.verified).toBe(true);
    expect(received[0]!.json).toMatchObject({
      type: 'finding.status_changed',
      finding: { id: 'F-2', source: 'platform' },
      issue: { id: issueId, key: issueKey },
      jira: { statusName: 'In Progress', statusCategory: 'indeterminate', resolution: null },
      findingStatus: 'in_progress',
      actor: { accountId: kit.users.developer },
    });
    expect(received[0]!.json).not.toHaveProperty('previousFindingStatus');
    expect((received[0]!.json as { sequence?: string }).sequence).toMatch(/^\d+$/);
    // Nothing is left in the outbox; a receipt is kept.
    expect(await kit.kvsKeys('cb:out:')).toEqual([]);
    expect(await kit.kvsKeys('cb:done:')).toHaveLength(2);
  });

  it('maps by category by default, and applies per-mapping status rules and resolution rules', async () => {
    const sec = await kit.linkIssue({ findingId: 'F-3' });
    const ops1 = await kit.linkIssue({ findingId: 'F-4', projectKey: 'OPS' });
    const ops2 = await kit.linkIssue({ findingId: 'F-5', projectKey: 'OPS' });
    const sec2 = await kit.linkIssue({ findingId: 'F-6' });
    await kit.sandbox.settle();
    const dev = kit.sandbox.jira.as(kit.users.developer);
    for (const step of ['In Progress', 'In Review', 'Done']) {
      await dev.transition(sec.issueKey, step);
      await kit.sandbox.settle();
    }
    await dev.transition(ops1.issueKey, "Won't Fix", { resolution: { name: "Won't Do" } });
    await dev.transition(ops2.issueKey, "Won't Fix", { resolution: { name: 'Duplicate' } });
    await kit.sandbox.settle();
    await dev.transition(sec2.issueKey, 'In Progress');
    await kit.sandbox.settle();
    await dev.transition(sec2.issueKey, 'In Review');
    await kit.sandbox.settle();
    await dev.transition(sec2.issueKey, 'Done');
    await kit.sandbox.settle();

    const byIssue = (key: string) =>
      kit
        .statusCallbacks()
        .filter((b) => (b['issue'] as { key: string }).key === key)
        .map((b) => b['findingStatus']);
    expect(byIssue(sec.issueKey)).toEqual(['in_progress', 'in_progress', 'resolved']);
    expect(byIssue(ops1.issueKey)).toEqual(['risk_accepted']);
    expect(byIssue(ops2.issueKey)).toEqual(['false_positive']);
    // SEC's Done sets resolution "Done": the global "Won't Do" rule does not apply, the category does.
    expect(byIssue(sec2.issueKey)).toEqual(['in_progress', 'in_progress', 'resolved']);
    expect(
      kit
        .statusCallbacks()
        .find((b) => (b['issue'] as { key: string }).key === sec.issueKey && b['findingStatus'] === 'resolved'),
    ).toMatchObject({
      jira: { statusName: 'Done', statusCategory: 'done', resolution: 'Done' },
      previousFindingStatus: 'in_progress',
    });
  });

  it('reports an unmapped status instead of guessing, and sends nothing for it', async () => {
    await kit.close();
    kit = await createCallbackKit({
      config: (url) => ({
        defaultMapping: {
          projectKey: 'SEC',
          issueTypeName: 'Bug',
          jiraStatusMap: { byCategory: { indeterminate: null } },
        },
        platform: { baseUrl: url },
      }),
    });
    const { issueKey } = await kit.linkIssue({ findingId: 'F-7' });
    await kit.sandbox.settle();
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    await kit.sandbox.settle();
    expect(kit.statusCallbacks()).toEqual([]);
    const reports = await kit.kvsKeys('cb:unmapped:');
    expect(reports).toHaveLength(1);
    expect(await kit.kvsGet(reports[0]!)).toMatchObject({
      projectKey: 'SEC',
      statusName: 'In Progress',
      statusCategoryKey: 'indeterminate',
      exampleIssueKey: issueKey,
      resolutionName: null,
    });
  });
});
