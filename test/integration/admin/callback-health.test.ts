/**
 * The Health tab's Jira → platform part through the sandbox: callbacks the platform never took
 * become dead letters the admin sees and replays (one or all), and statuses no rule maps are listed.
 */
import { createCallbackKit, type CallbackKit } from '../callbacks/callback-kit';

type Answer = { ok: true; data: any } | { ok: false; error: { code: string; message: string } };

let kit: CallbackKit;
afterEach(async () => kit?.close());

function call(key: string, payload: unknown = {}, accountId = kit.users.admin): Promise<Answer> {
  return kit.sandbox.callResolver(key, payload, { accountId }) as Promise<Answer>;
}
async function expectOk(key: string, payload: unknown = {}): Promise<any> {
  const answer = await call(key, payload);
  if (!answer.ok) throw new Error(`${key} answered ${JSON.stringify(answer.error)}`);
  return answer.data;
}

describe('callbacks/health, callbacks/replay, callbacks/replay-all', () => {
  it('lists refused callbacks as dead letters, replays one, then all, and each is delivered once', async () => {
    kit = await createCallbackKit({
      config: (url) => ({ defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug' }, platform: { baseUrl: url } }),
    });
    const first = await kit.linkIssue({ findingId: 'CB-1' });
    const second = await kit.linkIssue({ findingId: 'CB-2' });
    await kit.sandbox.settle();
    expect(await expectOk('callbacks/health')).toEqual({
      deadCallbacks: [],
      moreDeadCallbacks: false,
      deadCallbacksCursor: null,
      unmappedStatuses: [],
    });

    kit.platform.setFault({ kind: 'fail', status: 422 });
    const dev = kit.sandbox.jira.as(kit.users.developer);
    await dev.transition(first.issueKey, 'In Progress');
    await dev.transition(second.issueKey, 'In Progress');
    await kit.sandbox.settle();
    expect(kit.statusCallbacks()).toEqual([]);

    const health = await expectOk('callbacks/health');
    expect(health.deadCallbacks).toHaveLength(2);
    expect(health.deadCallbacks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'finding.status_changed',
          issueKey: first.issueKey,
          issueCount: 1,
          findingId: 'CB-1',
          lastStatus: 422,
          attempts: 1,
          reason: expect.stringContaining('422'),
        }),
        expect.objectContaining({ type: 'finding.status_changed', issueKey: second.issueKey, findingId: 'CB-2' }),
      ]),
    );

    kit.platform.setFault({ kind: 'none' });
    const one = health.deadCallbacks.find((d: { issueKey: string }) => d.issueKey === first.issueKey);
    expect(await expectOk('callbacks/replay', { id: one.id })).toEqual({ queued: true });
    await kit.sandbox.settle();
    expect(kit.statusCallbacks().map((b) => (b['issue'] as { key: string }).key)).toEqual([first.issueKey]);
    expect(await call('callbacks/replay', { id: one.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // Replay all is a background job: the resolver queues it and answers at once.
    expect(await expectOk('callbacks/replay-all')).toMatchObject({
      kind: 'replay-dead-callbacks',
      status: 'queued',
      processed: 0,
    });
    await kit.sandbox.settle();
    expect(await expectOk('jobs/get', { kind: 'replay-dead-callbacks' })).toMatchObject({
      status: 'done',
      processed: 1,
      failed: 0,
    });
    expect(
      kit
        .statusCallbacks()
        .map((b) => (b['issue'] as { key: string }).key)
        .sort(),
    ).toEqual([first.issueKey, second.issueKey].sort());
    expect((await expectOk('callbacks/health')).deadCallbacks).toEqual([]);
    const again = await expectOk('callbacks/replay-all');
    expect(again).toMatchObject({ status: 'queued', processed: 0 });
    await kit.sandbox.settle();
    expect(await expectOk('jobs/get', { kind: 'replay-dead-callbacks' })).toMatchObject({
      id: again.id,
      status: 'done',
      processed: 0,
    });
  });

  it('lists Jira statuses no rule maps, with the project, resolution and an example issue', async () => {
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
    const { issueKey } = await kit.linkIssue({ findingId: 'UN-1' });
    await kit.sandbox.settle();
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    await kit.sandbox.settle();
    const health = await expectOk('callbacks/health');
    expect(health.unmappedStatuses).toEqual([
      expect.objectContaining({
        projectKey: 'SEC',
        mappingId: 'default',
        statusName: 'In Progress',
        statusCategoryKey: 'indeterminate',
        resolutionName: null,
        exampleIssueKey: issueKey,
      }),
    ]);
  });

  it('refuses a non-admin and a payload without an id', async () => {
    kit = await createCallbackKit();
    for (const key of ['callbacks/health', 'callbacks/replay', 'callbacks/replay-all']) {
      expect(await call(key, {}, kit.users.member)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await call('callbacks/replay', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
