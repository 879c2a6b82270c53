import { asApp, route } from '@forge/api';
import { callbackKeys, createCallbackKit, keys, type CallbackKit } from './callback-kit';
import { handleIssueEvent } from '../../../src/usecases/handle-issue-event';
import { buildIssueEventDeps } from '../../../src/composition';

describe('Jira → platform: late, repeated and self-made events; deletions', () => {
  let kit: CallbackKit;
  beforeEach(async () => {
    kit = await createCallbackKit();
    // These tests arrange order, holds and duplicates by hand (pending(), reorder, emit): serial
    // delivery so that what they arrange is what happens. concurrent-events.test.ts covers the default.
    kit.sandbox.productEvents.setSchedule({ kind: 'serial' });
  });
  afterEach(async () => kit.close());

  it('the same event delivered twice → one callback', async () => {
    const { issueKey } = await kit.linkIssue({ findingId: 'D-1' });
    await kit.sandbox.settle();
    kit.sandbox.productEvents.duplicateDelivery = () => true;
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    expect(kit.sandbox.productEvents.pending()).toHaveLength(2);
    await kit.sandbox.settle();
    expect(
      kit.sandbox.productEvents.log.filter((r) => r.eventType === 'avi:jira:updated:issue' && r.outcome === 'ok'),
    ).toHaveLength(2);
    expect(kit.statusCallbacks().map((b) => b['findingStatus'])).toEqual(['in_progress']);
    expect(
      kit.platform.received.filter((c) => (c.json as { type: string }).type === 'finding.status_changed'),
    ).toHaveLength(1);
  });

  it('a duplicate that arrives after the callback was delivered is still recognised', async () => {
    const { issueKey } = await kit.linkIssue({ findingId: 'D-2' });
    await kit.sandbox.settle();
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    const [delivery] = kit.sandbox.productEvents.pending();
    const copy = structuredClone(delivery!.event);
    await kit.sandbox.settle();
    kit.sandbox.productEvents.emit(copy); // Forge redelivers it minutes later
    await kit.sandbox.settle();
    expect(kit.statusCallbacks()).toHaveLength(1);
  });

  it('events out of order → the final state is right and a stale event never regresses the finding', async () => {
    const { issueKey, issueId } = await kit.linkIssue({ findingId: 'O-1' });
    await kit.sandbox.settle();
    const dev = kit.sandbox.jira.as(kit.users.developer);
    for (const step of ['In Progress', 'In Review', 'Done']) await dev.transition(issueKey, step);
    expect(kit.sandbox.productEvents.pending()).toHaveLength(3);
    kit.sandbox.productEvents.reorder((a, b) => b.id - a.id); // newest first
    await kit.sandbox.settle();
    expect(
      kit.statusCallbacks().map((b) => [b['findingStatus'], (b['jira'] as { statusName: string }).statusName]),
    ).toEqual([['resolved', 'Done']]);
    expect(await kit.kvsGet(callbackKeys.issueState(issueId))).toMatchObject({
      statusName: 'Done',
      findingStatus: 'resolved',
    });
  });

  it('a late event held back while newer ones are delivered changes nothing', async () => {
    const { issueKey } = await kit.linkIssue({ findingId: 'O-2' });
    await kit.sandbox.settle();
    const dev = kit.sandbox.jira.as(kit.users.developer);
    await dev.transition(issueKey, 'In Progress');
    const held = structuredClone(kit.sandbox.productEvents.pending()[0]!.event);
    kit.sandbox.productEvents.reorder(() => 0);
    (kit.sandbox.productEvents.pending() as unknown[]).splice(0); // hold it back
    await dev.transition(issueKey, 'In Review');
    await dev.transition(issueKey, 'Done');
    await kit.sandbox.settle();
    kit.sandbox.productEvents.emit(held); // arrives minutes late
    await kit.sandbox.settle();
    const statuses = kit.statusCallbacks().map((b) => b['findingStatus']);
    expect(statuses[statuses.length - 1]).toBe('resolved');
    expect(statuses).not.toContain('open');
    expect(
      kit
        .statusCallbacks()
        .filter(
          (b) =>
            (b['jira'] as { statusName: string }).statusName === 'In Progress' &&
            statuses.indexOf('resolved') < statuses.lastIndexOf('in_progress'),
        ),
    ).toEqual([]);
  });

  it('callbacks not yet delivered are coalesced: the platform only ever moves forward', async () => {
    const { issueKey } = await kit.linkIssue({ findingId: 'O-3' });
    await kit.sandbox.settle();
    kit.platform.setFault({ kind: 'fail', status: 503 }, { times: 1 });
    const dev = kit.sandbox.jira.as(kit.users.developer);
    for (const step of ['In Progress', 'In Review', 'Done']) await dev.transition(issueKey, step);
    await kit.sandbox.productEvents.drain({ skipWaits: true }); // three callbacks in the outbox, none sent yet
    expect(await kit.kvsKeys('cb:out:')).toHaveLength(3);
    await kit.sandbox.settle();
    expect(kit.statusCallbacks().map((b) => b['findingStatus'])).toEqual(['resolved']);
    expect(await kit.kvsKeys('cb:out:')).toEqual([]);
  });

  it('a deleted issue → finding.issue_deleted, the link and ordering state removed, the finding marked', async () => {
    const { issueKey, issueId, findingKey } = await kit.linkIssue({ findingId: 'X-1' });
    await kit.sandbox.jira.as(kit.users.developer).transition(issueKey, 'In Progress');
    await kit.sandbox.settle();
    expect(await kit.kvsGet(callbackKeys.issueState(issueId))).toBeDefined();
    kit.sandbox.productEvents.duplicateDelivery = () => true;
    await kit.sandbox.jira.as(kit.users.admin).delete(issueKey);
    await kit.sandbox.settle();

    const deleted = kit.acceptedOfType('finding.issue_deleted');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({
      finding: { id: 'X-1' },
      issue: { id: issueId, key: issueKey },
      actor: { accountId: kit.users.admin },
      onLaterUpdate: 'ignore',
    });
    expect(await kit.kvsGet(keys.issueLink(issueId))).toBeUndefined();
    expect(await kit.kvsGet(callbackKeys.issueState(issueId))).toBeUndefined();
    // Recorded beside the finding's state (the sync consumer owns that one and applies this record).
    expect(await kit.kvsGet(keys.findingDeletion(findingKey))).toMatchObject({
      findingKey,
      issueId,
      issueKey,
      reason: expect.stringContaining('onDeletedIssue: ignore'),
    });
    expect(await kit.kvsGet(keys.findingState(findingKey))).not.toMatchObject({ outcome: 'issue-deleted' });
    expect(await kit.kvsKeys('cb:out:')).toEqual([]);
  });

  it("a platform-driven transition (the app's own write) → no echo callback", async () => {
    const { issueKey, issueId } = await kit.linkIssue({ findingId: 'E-1' });
    await kit.sandbox.settle();
    const before = kit.platform.received.length;
    await kit.sandbox.runAsApp(async () => {
      const response = await asApp().requestJira(route`/rest/api/3/issue/${issueKey}/transitions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ transition: { id: '21' } }),
      });
      expect(response.status).toBe(204);
    });
    await kit.sandbox.settle();
    expect(kit.platform.received.length).toBe(before);
    expect(
      kit.sandbox.productEvents.log.filter((r) => r.outcome === 'filtered' && r.eventType === 'avi:jira:updated:issue'),
    ).toHaveLength(1);
    // Even without the manifest filter, the handler refuses a self-generated event.
    const outcome = await kit.sandbox.runAsApp(() =>
      handleIssueEvent(
        {
          eventType: 'avi:jira:updated:issue',
          selfGenerated: true,
          issue: {
            id: issueId,
            key: issueKey,
            fields: { status: { id: '3', name: 'In Progress', statusCategory: { key: 'indeterminate' } } },
          },
          changelog: { id: '999', items: [{ field: 'status', to: '3' }] },
        },
        buildIssueEventDeps(),
      ),
    );
    expect(outcome).toEqual({ handled: false, reason: 'self-generated' });
  });

  it('rejects a malformed event precisely and touches nothing', async () => {
    const outcome = await kit.sandbox.runAsApp(() =>
      handleIssueEvent({ eventType: 'avi:jira:updated:issue', issue: { key: 'SEC-1' } }, buildIssueEventDeps()),
    );
    expect(outcome).toMatchObject({
      handled: false,
      reason: 'invalid-event',
      details: expect.stringContaining('issue.id'),
    });
  });
});
