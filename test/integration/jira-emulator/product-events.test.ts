import type { JiraProductEvent } from '../../../sandbox/jira';
import { buildKit, createIssue } from './jira-test-kit';

/** What a trigger with `filter: {ignoreSelf: true}` would receive (the dispatcher applies this). */
const deliveredWithIgnoreSelf = (events: JiraProductEvent[]) => events.filter((e) => !e.selfGenerated);

describe('Jira emulator: product events', () => {
  it('emits created with selfGenerated=true and the app as atlassianId for an app write', async () => {
    const kit = buildKit();
    const { key, id } = await createIssue(kit);
    expect(kit.events).toHaveLength(1);
    const [event] = kit.events;
    expect(event!.eventType).toBe('avi:jira:created:issue');
    expect(event!.selfGenerated).toBe(true);
    expect(event!.payload).toEqual(
      expect.objectContaining({
        eventType: 'avi:jira:created:issue',
        selfGenerated: true,
        atlassianId: kit.emulator.users.app,
        associatedUsers: [{ accountId: kit.emulator.users.app }],
        issue: expect.objectContaining({
          id,
          key,
          fields: expect.objectContaining({
            summary: expect.any(String),
            status: expect.objectContaining({ name: 'To Do' }),
          }),
        }),
      }),
    );
    expect(deliveredWithIgnoreSelf(kit.events)).toEqual([]);
  });

  it('emits updated with changelog and associatedStatuses for a user transition (ignoreSelf delivers it)', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    kit.events.length = 0;
    await kit.emulator.as(kit.emulator.users.member).transition(key, 'In Progress');
    const delivered = deliveredWithIgnoreSelf(kit.events);
    expect(delivered).toHaveLength(1);
    const payload = delivered[0]!.payload as any;
    expect(payload.eventType).toBe('avi:jira:updated:issue');
    expect(payload.selfGenerated).toBe(false);
    expect(payload.atlassianId).toBe(kit.emulator.users.member);
    expect(payload.changelog).toEqual({
      id: expect.any(String),
      items: [
        {
          field: 'status',
          fieldtype: 'jira',
          fieldId: 'status',
          from: '10000',
          fromString: 'To Do',
          to: '3',
          toString: 'In Progress',
        },
      ],
    });
    expect(payload.associatedStatuses).toEqual([
      { id: '10000', name: 'To Do' },
      { id: '3', name: 'In Progress' },
    ]);
    expect(payload.issue.fields.status.statusCategory.key).toBe('indeterminate');
  });

  it('tags the app own transition as selfGenerated so ignoreSelf drops it', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    await kit.call('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '21' } });
    expect(kit.events.map((e) => [e.eventType, e.selfGenerated])).toEqual([
      ['avi:jira:created:issue', true],
      ['avi:jira:updated:issue', true],
    ]);
    expect(deliveredWithIgnoreSelf(kit.events)).toEqual([]);
  });

  it('puts resolution and status in the changelog when reaching Done', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    const person = kit.emulator.as(kit.emulator.users.admin);
    for (const status of ['In Progress', 'In Review']) await person.transition(key, status);
    kit.events.length = 0;
    await person.transition(key, 'Done');
    const items = (kit.events[0]!.payload as any).changelog.items;
    expect(items.map((i: { fieldId: string; toString: string }) => [i.fieldId, i.toString])).toEqual([
      ['resolution', 'Done'],
      ['status', 'Done'],
    ]);
  });

  it('emits updated for a field edit without associatedStatuses', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit, { labels: ['a'] });
    kit.events.length = 0;
    await kit.emulator.as(kit.emulator.users.member).edit(key, { summary: 'New title', labels: ['a', 'b'] });
    const payload = kit.events[0]!.payload as any;
    expect(payload.associatedStatuses).toBeUndefined();
    expect(payload.changelog.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fieldId: 'summary', toString: 'New title' }),
        expect.objectContaining({ fieldId: 'labels', fromString: 'a', toString: 'a b' }),
      ]),
    );
  });

  it('emits no event for an edit that changes nothing or a failed write', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit, { summary: 'same' });
    kit.events.length = 0;
    await kit.call('PUT', `/rest/api/3/issue/${key}`, { fields: { summary: 'same' } }, kit.asMember);
    await kit.call('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '51' } }, kit.asMember);
    expect(kit.events).toEqual([]);
  });

  it('emits deleted with the issue as it was', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    kit.events.length = 0;
    await kit.emulator.as(kit.emulator.users.admin).delete(key);
    expect(kit.events).toHaveLength(1);
    expect(kit.events[0]!.eventType).toBe('avi:jira:deleted:issue');
    expect((kit.events[0]!.payload as any).issue.key).toBe(key);
    expect(kit.events[0]!.selfGenerated).toBe(false);
  });

  it('emits one created event per issue of a bulk create', async () => {
    const kit = buildKit();
    await kit.call('POST', '/rest/api/3/issue/bulk', {
      issueUpdates: [1, 2, 3].map((n) => ({
        fields: { project: { key: 'SEC' }, issuetype: { id: '10004' }, summary: `b${n}` },
      })),
    });
    expect(kit.events.map((e) => e.eventType)).toEqual(Array(3).fill('avi:jira:created:issue'));
  });
});
