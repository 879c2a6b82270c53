import { startJiraHttpServer, type JiraHttpServer } from '../../../sandbox/jira';
import { buildKit, buildIssueFields, createIssue } from './jira-test-kit';

describe('Jira emulator: HTTP server and board', () => {
  const kit = buildKit();
  let server: JiraHttpServer;

  beforeAll(async () => {
    server = await startJiraHttpServer(kit.emulator, { port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves REST as the seeded admin by default and as X-Sandbox-User when named', async () => {
    const asAdmin = await fetch(`${server.url}/rest/api/3/myself`);
    expect(asAdmin.status).toBe(200);
    expect(((await asAdmin.json()) as { accountId: string }).accountId).toBe(kit.emulator.users.admin);
    const asMember = await fetch(`${server.url}/rest/api/3/mypermissions?permissions=ADMINISTER`, {
      headers: { 'X-Sandbox-User': kit.emulator.users.member },
    });
    const permissions = (await asMember.json()) as { permissions: { ADMINISTER: { havePermission: boolean } } };
    expect(permissions.permissions.ADMINISTER.havePermission).toBe(false);
    const ghost = await fetch(`${server.url}/rest/api/3/myself`, { headers: { 'X-Sandbox-User': 'nobody' } });
    expect(ghost.status).toBe(401);
  });

  it("treats a script's REST write as a person's write: it emits an event that is not selfGenerated", async () => {
    kit.events.length = 0;
    const res = await fetch(`${server.url}/rest/api/3/issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: buildIssueFields() }),
    });
    expect(res.status).toBe(201);
    expect(
      kit.events.map((e) => [e.eventType, e.selfGenerated, (e.payload as { atlassianId: string }).atlassianId]),
    ).toEqual([['avi:jira:created:issue', false, kit.emulator.users.admin]]);
  });

  it('renders the board with issues by project and status', async () => {
    const { key } = await createIssue(kit, { summary: 'Board <visible> issue' });
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toContain('<h2>SEC — Security');
    expect(html).toContain(`id="issue-${key}"`);
    expect(html).toContain('Board &lt;visible&gt; issue');
    expect(html).not.toContain('<script');
  });

  it('transitions, edits and deletes through the board forms, as the chosen user', async () => {
    const { key } = await createIssue(kit);
    kit.events.length = 0;
    const post = (action: string, form: Record<string, string>) =>
      fetch(`${server.url}/board/issues/${key}/${action}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const member = kit.emulator.users.member;
    expect((await post('transition', { as: member, transitionId: '21' })).status).toBe(303);
    expect((await post('edit', { as: member, summary: 'Edited on the board' })).status).toBe(303);
    const bad = await post('transition', { as: member, transitionId: '61' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('is not valid for this issue');
    expect(
      kit.events.map((e) => [e.eventType, e.selfGenerated, (e.payload as { atlassianId: string }).atlassianId]),
    ).toEqual([
      ['avi:jira:updated:issue', false, member],
      ['avi:jira:updated:issue', false, member],
    ]);
    expect((await post('delete', { as: member })).status).toBe(303);
    expect(kit.emulator.snapshot().issues.find((i) => i.key === key)).toBeUndefined();
  });

  it('rejects a malformed board form', async () => {
    const res = await fetch(`${server.url}/board/issues/SEC-1/transition`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'as=',
    });
    expect(res.status).toBe(400);
  });
});
