import { measureUnmanagedIssueEvents } from '../../../bench/issue-events-bench';
import { createCallbackKit, type CallbackKit } from './callback-kit';

describe('issue events for issues the app does not manage', () => {
  let kit: CallbackKit;
  afterEach(async () => kit.close());

  it('1,000 events → no Jira call, one KVS read each, no write, no callback', async () => {
    kit = await createCallbackKit();
    await kit.linkIssue({ findingId: 'M-1' }); // one managed issue exists on the site
    await kit.sandbox.settle();
    const callbacksBefore = kit.platform.received.length;
    const figures = await measureUnmanagedIssueEvents(kit.sandbox, { events: 1_000, issues: 50 });
    expect(figures.events).toBe(1_000);
    expect(figures.jiraCalls).toBe(0);
    expect(figures.kvsRequests).toBe(1_000);
    expect(figures.kvsReadUnits).toBe(1_000);
    expect(figures.kvsWrites).toBe(0);
    expect(kit.platform.received.length).toBe(callbacksBefore);
    expect(kit.sandbox.queues.pending()).toEqual([]);
    expect(
      kit.sandbox.productEvents.log.filter((r) => r.eventType === 'avi:jira:updated:issue' && r.outcome !== 'ok'),
    ).toEqual([]);
  });
});
