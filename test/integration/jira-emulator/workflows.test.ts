import { buildKit, createIssue } from './jira-test-kit';

describe('Jira emulator: workflows and transitions', () => {
  const kit = buildKit();
  const transitions = async (key: string) =>
    (await kit.call('GET', `/rest/api/3/issue/${key}/transitions`)).body.transitions as Array<{
      id: string;
      name: string;
      to: { name: string; statusCategory: { id: number; key: string } };
    }>;
  const move = (key: string, id: string, fields?: Record<string, unknown>) =>
    kit.call('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id }, ...(fields ? { fields } : {}) });
  const statusOf = async (key: string) =>
    (await kit.call('GET', `/rest/api/3/issue/${key}?fields=status,resolution`)).body.fields;

  it('uses the real status category ids and keys', async () => {
    const res = await kit.call('GET', '/rest/api/3/statuscategory');
    expect(res.body.map((c: { id: number; key: string }) => [c.id, c.key])).toEqual([
      [1, 'undefined'],
      [2, 'new'],
      [4, 'indeterminate'],
      [3, 'done'],
    ]);
  });

  it('lists only the transitions available from the current status (not all-to-all)', async () => {
    const { key } = await createIssue(kit);
    expect((await transitions(key)).map((t) => [t.id, t.to.name])).toEqual([['21', 'In Progress']]);
    expect((await move(key, '21')).status).toBe(204);
    expect((await transitions(key)).map((t) => t.to.name)).toEqual(['To Do', 'In Review']);
  });

  it("rejects a transition not available from the current status with Jira's message", async () => {
    const { key } = await createIssue(kit);
    const res = await move(key, '51');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errorMessages: ["Transition id '51' is not valid for this issue."], errors: {} });
    expect((await move(key, '9999')).status).toBe(400);
  });

  it('walks To Do → In Progress → In Review → Done, sets resolution, and reopens to Reopened', async () => {
    const { key } = await createIssue(kit);
    for (const id of ['21', '31', '51']) expect((await move(key, id)).status).toBe(204);
    const done = await statusOf(key);
    expect(done.status).toEqual(
      expect.objectContaining({ name: 'Done', statusCategory: expect.objectContaining({ id: 3, key: 'done' }) }),
    );
    expect(done.resolution.name).toBe('Done');
    expect((await transitions(key)).map((t) => t.to.name)).toEqual(['Reopened']);
    expect((await move(key, '61')).status).toBe(204);
    const reopened = await statusOf(key);
    expect(reopened.status.statusCategory.key).toBe('new');
    expect(reopened.resolution).toBeNull();
  });

  it('requires resolution on the OPS "Won\'t Fix" transition screen', async () => {
    const { key } = await createIssue(kit, {
      project: { key: 'OPS' },
      issuetype: { name: 'Task' },
      description: undefined,
    });
    const listed = (await kit.call('GET', `/rest/api/3/issue/${key}/transitions?expand=transitions.fields`)).body
      .transitions;
    const wontFix = listed.find((t: { name: string }) => t.name === "Won't fix");
    expect(wontFix.hasScreen).toBe(true);
    expect(wontFix.fields.resolution.required).toBe(true);
    const missing = await move(key, wontFix.id);
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.errors)).toEqual(['resolution']);
    expect((await statusOf(key)).status.name).toBe('Open');
    expect((await move(key, wontFix.id, { resolution: { name: "Won't Fix" } })).status).toBe(204);
    const after = await statusOf(key);
    expect(after.status).toEqual(
      expect.objectContaining({ name: "Won't Fix", statusCategory: expect.objectContaining({ key: 'done' }) }),
    );
    expect(after.resolution.name).toBe("Won't Fix");
  });

  it('rejects fields on a transition that has no screen', async () => {
    const { key } = await createIssue(kit);
    const res = await move(key, '21', { summary: 'sneaky' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors)).toEqual(['summary']);
  });

  it('gives each project its own workflow', async () => {
    const res = await kit.call('GET', '/rest/api/3/project/OPS/statuses');
    expect(res.body[0].statuses.map((s: { name: string }) => s.name)).toEqual([
      'Open',
      'Triage',
      'In Progress',
      'Resolved',
      "Won't Fix",
    ]);
    const sec = await kit.call('GET', '/rest/api/3/project/SEC/statuses');
    expect(sec.body[0].statuses.map((s: { name: string }) => s.name)).toEqual([
      'To Do',
      'In Progress',
      'In Review',
      'Done',
      'Reopened',
    ]);
  });

  it('lets a test act as a person by target status name', async () => {
    const { key } = await createIssue(kit);
    const person = kit.emulator.as(kit.emulator.users.member);
    await person.transition(key, 'In Progress');
    await expect(person.transition(key, 'Done')).rejects.toThrow(/no transition to "Done"/);
    await person.transition(key, 'In Review');
    await person.transition(key, 'Done');
    expect((await statusOf(key)).status.name).toBe('Done');
  });
});
