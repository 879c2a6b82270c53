import { createJiraEmulator } from '../../../sandbox/jira';
import { buildKit, createIssue } from './jira-test-kit';

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

  it('rejects a corrupt snapshot with a precise error', () => {
    expect(() => createJiraEmulator({ state: { version: 2 } as never })).toThrow(
      /state snapshot is not valid: version/,
    );
  });
});
