import { buildKit, createIssue } from './jira-test-kit';

describe('Jira emulator: site metadata, users and permissions', () => {
  const kit = buildKit();

  it('answers myself for the app and for a person', async () => {
    expect((await kit.call('GET', '/rest/api/3/myself')).body).toEqual(
      expect.objectContaining({ accountId: kit.emulator.users.app, accountType: 'app' }),
    );
    expect((await kit.call('GET', '/rest/api/3/myself', undefined, kit.asMember)).body).toEqual(
      expect.objectContaining({ accountId: kit.emulator.users.member, accountType: 'atlassian' }),
    );
  });

  it('rejects an unknown user actor with 401', async () => {
    expect((await kit.call('GET', '/rest/api/3/myself', undefined, { kind: 'user', accountId: 'ghost' })).status).toBe(
      401,
    );
  });

  it('grants ADMINISTER to the admin only', async () => {
    const ask = async (actor: typeof kit.asAdmin) =>
      (await kit.call('GET', '/rest/api/3/mypermissions?permissions=ADMINISTER,BROWSE_PROJECTS', undefined, actor)).body
        .permissions;
    const admin = await ask(kit.asAdmin);
    const member = await ask(kit.asMember);
    expect(admin.ADMINISTER).toEqual(
      expect.objectContaining({ key: 'ADMINISTER', type: 'GLOBAL', havePermission: true }),
    );
    expect(member.ADMINISTER.havePermission).toBe(false);
    expect(member.BROWSE_PROJECTS.havePermission).toBe(true);
  });

  it('requires the permissions parameter and known keys', async () => {
    expect((await kit.call('GET', '/rest/api/3/mypermissions', undefined, kit.asMember)).status).toBe(400);
    expect(
      (await kit.call('GET', '/rest/api/3/mypermissions?permissions=BE_GOD', undefined, kit.asMember)).status,
    ).toBe(400);
  });

  it('serves createmeta with required flags and allowed values per project', async () => {
    const types = await kit.call('GET', '/rest/api/3/issue/createmeta/COMP/issuetypes');
    expect(types.body.issueTypes.map((t: { name: string }) => t.name)).toEqual(['Task']);
    const meta = await kit.call('GET', '/rest/api/3/issue/createmeta/COMP/issuetypes/10001');
    const byId = Object.fromEntries(meta.body.fields.map((f: { fieldId: string }) => [f.fieldId, f]));
    expect(byId['customfield_10050'].required).toBe(true);
    expect(byId['customfield_10050'].allowedValues.map((v: { value: string }) => v.value)).toContain('SOC 2 CC7.1');
    expect(byId['customfield_10051'].required).toBe(true);
    expect(byId['priority'].allowedValues.map((p: { name: string }) => p.name)).toEqual([
      'Critical',
      'Major',
      'Minor',
      'Trivial',
    ]);
    expect(byId['priority'].defaultValue.name).toBe('Major');
    expect(byId['environment']).toBeUndefined();
    const wrong = await kit.call('GET', '/rest/api/3/issue/createmeta/COMP/issuetypes/10004');
    expect(wrong.status).toBe(400);
  });

  it('lists priorities per project scheme', async () => {
    const ops = await kit.call('GET', '/rest/api/3/priority/search?projectId=10001');
    expect(ops.body.values.map((p: { name: string }) => p.name)).toEqual(['Highest', 'High', 'Medium', 'Low']);
    const schemes = await kit.call('GET', '/rest/api/3/priorityscheme?expand=projects');
    expect(
      schemes.body.values.map((s: { name: string; projects: { values: Array<{ key: string }> } }) => [
        s.name,
        s.projects.values.map((p) => p.key),
      ]),
    ).toEqual([
      ['Default priority scheme', ['SEC']],
      ['Operations priority scheme', ['OPS']],
      ['Compliance priority scheme', ['COMP']],
    ]);
  });

  it('lists fields including each custom field type', async () => {
    const fields = (await kit.call('GET', '/rest/api/3/field')).body as Array<{
      id: string;
      schema: { custom?: string };
    }>;
    const customTypes = fields.filter((f) => f.schema.custom).map((f) => f.schema.custom!.split(':')[1]);
    expect(new Set(customTypes)).toEqual(
      new Set(['textfield', 'textarea', 'float', 'select', 'multiselect', 'url', 'datepicker', 'userpicker', 'labels']),
    );
  });

  it('searches users and assignable users', async () => {
    const found = await kit.call('GET', '/rest/api/3/user/search?query=morgan');
    expect(found.body.map((u: { accountId: string }) => u.accountId)).toEqual([kit.emulator.users.member]);
    expect((await kit.call('GET', '/rest/api/3/user/search')).status).toBe(400);
    const assignable = await kit.call('GET', '/rest/api/3/user/assignable/search?project=SEC');
    expect(assignable.body.map((u: { accountType: string }) => u.accountType)).toEqual([
      'atlassian',
      'atlassian',
      'atlassian',
    ]);
    expect((await kit.call('GET', '/rest/api/3/user/assignable/search')).status).toBe(400);
  });

  it('lists projects and the issue types of one project', async () => {
    const projects = await kit.call('GET', '/rest/api/3/project/search?keys=SEC&keys=OPS');
    expect(projects.body.values.map((p: { key: string }) => p.key)).toEqual(['OPS', 'SEC']);
    const types = await kit.call('GET', '/rest/api/3/issuetype/project?projectId=10000');
    expect(types.body.map((t: { name: string }) => t.name)).toEqual(['Bug', 'Task']);
    expect((await kit.call('GET', '/rest/api/3/project/NOPE')).status).toBe(404);
  });

  it('answers 501 for REST paths it does not emulate and 405 for a wrong method', async () => {
    expect((await kit.call('GET', '/rest/api/3/dashboard')).status).toBe(501);
    expect((await kit.call('PATCH', '/rest/api/3/issue/SEC-1')).status).toBe(405);
  });

  it('seeds sample issues on the demo site', async () => {
    const { createJiraEmulator } = await import('../../../sandbox/jira');
    const demo = createJiraEmulator({ seed: 'demo', onResponseWarning: () => undefined });
    expect(demo.snapshot().issues.length).toBeGreaterThan(0);
    expect(kit.emulator.snapshot().issues.length).toBe(0);
    await createIssue(kit);
  });
});
