import { createJiraEmulator } from '../../../sandbox/jira';
import { SEARCH_INDEX_LAG_MAX_MS } from '../../../sandbox/jira/search-index';
import { buildKit, createIssue, type Kit } from './jira-test-kit';

const found = async (kit: Kit, reconcile: number[] = []) =>
  (
    await kit.call('POST', '/rest/api/3/search/jql', {
      jql: 'project = SEC ORDER BY key ASC',
      fields: ['summary'],
      ...(reconcile.length > 0 ? { reconcileIssues: reconcile } : {}),
    })
  ).body.issues.map((i: { key: string }) => i.key);

describe('Jira emulator: snapshot, restore and start-up cost', () => {
  it('restores a JSON snapshot with issues, properties and key sequence intact', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    await kit.call('PUT', `/rest/api/3/issue/${key}/properties/finding-sync`, { findingId: 'F-1' });
    await kit.emulator.as(kit.emulator.users.member).transition(key, 'In Progress');
    const json = JSON.stringify(kit.emulator.snapshot());

    const restored = buildKit({ state: JSON.parse(json) });
    const issue = await restored.call('GET', `/rest/api/3/issue/${key}?fields=status&properties=finding-sync`);
    expect(issue.body.fields.status.name).toBe('In Progress');
    expect(issue.body.properties['finding-sync']).toEqual({ findingId: 'F-1' });
    expect((await createIssue(restored)).key).toBe('SEC-2');
  });

  it('a restart finds the index behind: an issue created within the last lag is searchable only later', async () => {
    const kit = buildKit();
    const old = await createIssue(kit);
    kit.clock.advance(SEARCH_INDEX_LAG_MAX_MS + 1_000);
    const recent = await createIssue(kit);
    kit.clock.advance(1_000);
    // The restarted emulator shares the first one's clock: it starts at the crash's moment.
    const atCrash = buildKit({ state: kit.emulator.snapshot(), now: () => kit.clock.now });

    expect(await found(atCrash)).toEqual([old.key]);
    expect((await atCrash.call('GET', `/rest/api/3/issue/${recent.key}?fields=summary`)).status).toBe(200);
    expect(await found(atCrash, [Number(recent.id)])).toEqual([old.key, recent.key]);
    kit.clock.advance(SEARCH_INDEX_LAG_MAX_MS);
    expect(await found(atCrash)).toEqual([old.key, recent.key]);
  });

  it('rejects a corrupt snapshot with a precise error', () => {
    expect(() => createJiraEmulator({ state: { version: 2 } as never })).toThrow(
      /state snapshot is not valid: version/,
    );
  });
});
