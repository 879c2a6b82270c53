import { asApp, route } from '@forge/api';
import { kvs } from '@forge/kvs';
import { createProbeSandbox } from './probe-sandbox';

type Recorded = { eventType: string; key?: string; selfGenerated?: boolean };

async function recorded(sandbox: ReturnType<typeof createProbeSandbox>, key: string): Promise<Recorded[]> {
  return (await sandbox.runAsApp(() => kvs.get<Recorded[]>(key))) ?? [];
}

describe("Jira product events → the app's trigger modules", () => {
  it("delivers a person's transition to the trigger; filters the app's own write where ignoreSelf is set", async () => {
    const sandbox = createProbeSandbox({ jira: { seed: 'empty' } });
    const { admin, member } = sandbox.jira.users;
    const issue = await sandbox.jira
      .as(admin)
      .create({ project: { key: 'SEC' }, issuetype: { name: 'Bug' }, summary: 'XSS in search' });
    await sandbox.settle();
    await sandbox.jira.as(member).transition(issue.key, 'In Progress');
    await sandbox.settle();
    expect(await recorded(sandbox, 'events:filtered-trigger')).toEqual([
      { eventType: 'avi:jira:updated:issue', key: issue.key, selfGenerated: false },
    ]);

    // The app edits the issue: the ignoreSelf trigger never sees it, the other trigger does.
    await sandbox.runAsApp(async () => {
      const response = await asApp().requestJira(route`/rest/api/3/issue/${issue.key}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ fields: { summary: 'XSS in search (edited by the app)' } }),
      });
      expect(response.status).toBe(204);
    });
    await sandbox.settle();
    expect(await recorded(sandbox, 'events:filtered-trigger')).toHaveLength(1);
    expect(await recorded(sandbox, 'events:all-trigger')).toEqual([
      { eventType: 'avi:jira:updated:issue', key: issue.key, selfGenerated: false },
      { eventType: 'avi:jira:updated:issue', key: issue.key, selfGenerated: true },
    ]);
    expect(sandbox.productEvents.log.filter((r) => r.outcome === 'filtered')).toEqual([
      expect.objectContaining({ triggerKey: 'probe-issue-trigger', selfGenerated: true }),
    ]);
  });

  it('delivers deletions and only to triggers subscribed to them', async () => {
    const sandbox = createProbeSandbox({ jira: { seed: 'empty' } });
    const { admin } = sandbox.jira.users;
    const issue = await sandbox.jira
      .as(admin)
      .create({ project: { key: 'SEC' }, issuetype: { name: 'Bug' }, summary: 'Leaked key' });
    await sandbox.jira.as(admin).delete(issue.key);
    await sandbox.settle();
    expect(await recorded(sandbox, 'events:filtered-trigger')).toEqual([
      { eventType: 'avi:jira:deleted:issue', key: issue.key, selfGenerated: false },
    ]);
    expect(await recorded(sandbox, 'events:all-trigger')).toEqual([]);
  });

  it('can hold, reorder and duplicate deliveries (at least once, any order)', async () => {
    const sandbox = createProbeSandbox({ jira: { seed: 'empty' } });
    const { admin } = sandbox.jira.users;
    // This test holds and reorders by hand, and the probe app records with a plain read-modify-write:
    // serial delivery, so the order it arranges is the order delivered.
    sandbox.productEvents.setSchedule({ kind: 'serial' });
    sandbox.productEvents.duplicateDelivery = () => true;
    const issue = await sandbox.jira
      .as(admin)
      .create({ project: { key: 'SEC' }, issuetype: { name: 'Bug' }, summary: 'Order' });
    await sandbox.jira.as(admin).transition(issue.key, 'In Progress');
    await sandbox.jira.as(admin).transition(issue.key, 'In Review');
    const pending = sandbox.productEvents.pending().filter((d) => d.trigger.key === 'probe-issue-trigger');
    expect(pending).toHaveLength(4);
    sandbox.productEvents.reorder((a, b) => b.id - a.id);
    await sandbox.settle();
    const events = await sandbox.runAsApp(() => kvs.get('events:filtered-trigger'));
    expect(events).toHaveLength(4);
  });

  it('by default delivers concurrently, shuffled and partly twice, on a seeded schedule', async () => {
    const order = async (seed: number) => {
      const sandbox = createProbeSandbox({ jira: { seed: 'empty' } });
      sandbox.productEvents.setSchedule({ seed });
      const { admin } = sandbox.jira.users;
      const keys: string[] = [];
      for (let i = 0; i < 12; i++)
        keys.push(
          (
            await sandbox.jira
              .as(admin)
              .create({ project: { key: 'SEC' }, issuetype: { name: 'Bug' }, summary: `E${i}` })
          ).key,
        );
      await sandbox.settle();
      const before = sandbox.productEvents.log.length;
      for (const key of keys) await sandbox.jira.as(admin).transition(key, 'In Progress');
      const pending = sandbox.productEvents.pending().map((d) => d.id);
      await sandbox.settle();
      const delivered = sandbox.productEvents.log
        .slice(before)
        .filter((r) => r.outcome !== 'filtered')
        .map((r) => r.id);
      await sandbox.close();
      return { pending, delivered };
    };
    const first = await order(3);
    expect(await order(3)).toEqual(first); // reproducible
    expect(first.pending.length).toBeGreaterThan(12); // some are delivered twice
    expect(first.delivered).not.toEqual([...first.delivered].sort((a, b) => a - b)); // not in emit order
    expect(new Set(first.delivered)).toEqual(new Set(first.pending)); // every delivery made, none invented
  });
});
