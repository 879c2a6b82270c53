import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asApp, route } from '@forge/api';
import { parse } from 'yaml';
import { createSandbox } from '../../../sandbox';
import { DEFAULT_SPEC_PATH } from '../../../sandbox/jira/jira-emulator';
import { loadJiraScopeIndex } from '../../../sandbox/runtime/jira-scopes';
import { checkScopes, findJiraCalls } from '../../../sandbox/tools/scope-check';

const ROOT = path.resolve(__dirname, '../../..');
const manifestScopes = (
  parse(readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')) as { permissions: { scopes: string[] } }
).permissions.scopes;
const index = loadJiraScopeIndex([DEFAULT_SPEC_PATH]);
const describeWithDocument = index ? describe : describe.skip;

describeWithDocument("Jira scopes from Jira's OpenAPI document", () => {
  const calls = findJiraCalls(path.join(ROOT, 'src'), ROOT);

  it('finds every Jira call in the app, each with its method', () => {
    const operations = new Set(calls.map((call) => `${call.method} ${call.path}`));
    expect(operations).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect([...operations]).toEqual(
      expect.arrayContaining([
        'POST /rest/api/3/issue/bulk',
        'PUT /rest/api/3/issue/{}',
        'POST /rest/api/3/issue/{}/transitions',
        'POST /rest/api/3/search/jql',
        'GET /rest/api/3/user/search',
        'GET /rest/api/3/mypermissions',
      ]),
    );
  });

  it('the shipped manifest covers every operation the app calls', () => {
    expect(checkScopes(calls, manifestScopes, index!)).toEqual([]);
  });

  it.each([
    ['read:jira-work', 'GET /rest/api/3/project/search'],
    ['write:jira-work', 'POST /rest/api/3/issue/bulk'],
    ['read:jira-user', 'GET /rest/api/3/user/search'],
  ])('without %s the check fails, naming %s', (scope, operation) => {
    const problems = checkScopes(
      calls,
      manifestScopes.filter((s) => s !== scope),
      index!,
    );
    expect(problems.map((problem) => problem.message).join('\n')).toContain(
      operation.split(' ')[1]!.replace(/\{\}/g, ''),
    );
    expect(problems.every((problem) => problem.message.includes(scope))).toBe(true);
  });

  it('knows that GET /rest/api/3/priority/search needs manage:jira-configuration', () => {
    const problems = checkScopes(
      [{ file: 'x.ts', line: 1, method: 'GET', path: '/rest/api/3/priority/search' }],
      manifestScopes,
      index!,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('manage:jira-configuration');
  });

  it('at run time the sandbox refuses an uncovered call as Forge does: 401 "scope does not match"', async () => {
    const sandbox = createSandbox({ scopes: manifestScopes.filter((s) => s !== 'read:jira-work') });
    expect(sandbox.jiraScopeCheck).toBe('enabled');
    const refused = await sandbox.runAsApp(async () => {
      const response = await asApp().requestJira(route`/rest/api/3/resolution`);
      return {
        status: response.status,
        failure: response.headers.get('x-failure-category'),
        body: await response.json(),
      };
    });
    expect(refused).toEqual({
      status: 401,
      failure: 'FAILURE_CLIENT_SCOPE_CHECK',
      body: { code: 401, message: 'Unauthorized; scope does not match' },
    });
    const covered = await createSandbox().runAsApp(
      async () => (await asApp().requestJira(route`/rest/api/3/resolution`)).status,
    );
    expect(covered).toBe(200);
    const configuration = await createSandbox().runAsApp(
      async () => (await asApp().requestJira(route`/rest/api/3/priority/search`)).status,
    );
    expect(configuration).toBe(401);
  });

  it("with read:jira-work missing, the admin page's site check fails instead of passing", async () => {
    const sandbox = createSandbox({ scopes: manifestScopes.filter((s) => s !== 'read:jira-work') });
    const admin = sandbox.jira.users.admin;
    const result = (await sandbox.callResolver('site/metadata', {}, { accountId: admin })) as { ok: boolean };
    expect(result.ok).toBe(false);
    const full = (await createSandbox().callResolver('site/metadata', {}, { accountId: admin })) as { ok: boolean };
    expect(full.ok).toBe(true);
  });
});
