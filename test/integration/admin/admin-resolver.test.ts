/**
 * The admin resolver through the sandbox: the real @forge/resolver, @forge/kvs and requestJira
 * against the seeded Jira emulator, called as the page's `invoke` calls it (JSON round-tripped).
 */
import { ADMIN_API_KEYS } from '../../../src/contracts/admin-api';
import { createSandbox, type Sandbox } from '../../../sandbox';

let sandbox: Sandbox;
let admin: string;
let member: string;

beforeAll(() => {
  sandbox = createSandbox({ jira: { seed: 'empty' } });
  admin = sandbox.jira.users.admin;
  member = sandbox.jira.users.member;
});

afterAll(async () => {
  await sandbox?.close();
});

type Answer = { ok: true; data: any } | { ok: false; error: { code: string; message: string; details?: any } };

function call(key: string, payload: unknown = {}, accountId = admin): Promise<Answer> {
  return sandbox.callResolver(key, payload, { accountId }) as Promise<Answer>;
}

async function expectOk(key: string, payload: unknown = {}): Promise<any> {
  const answer = await call(key, payload);
  if (!answer.ok) throw new Error(`${key} answered ${JSON.stringify(answer.error)}`);
  return answer.data;
}

const SEC_MAPPING = {
  id: 'web',
  match: { assetNamePattern: 'web-*' },
  projectKey: 'SEC',
  issueTypeName: 'Bug',
  labels: ['security'],
};

describe("function keys that are not the app's", () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'config/nope', 'CONFIG/GET', ''])(
    '%j answers NOT_FOUND before any other work (no permission call, no KVS read)',
    async (key) => {
      for (const accountId of [admin, member]) {
        const before = sandbox.sdkCalls.length;
        expect(await call(key, { anything: 'at all' }, accountId)).toEqual({
          ok: false,
          error: { code: 'NOT_FOUND', message: 'Finding Sync has no admin function with this name.' },
        });
        expect(sandbox.sdkCalls.slice(before)).toEqual([]);
      }
    },
  );

  it('a key of the app still reaches its function (the permission check is its first call)', async () => {
    const before = sandbox.sdkCalls.length;
    expect(await call('config/get', {}, member)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(sandbox.sdkCalls.slice(before).length).toBeGreaterThan(0);
  });
});

describe('who may call', () => {
  it.each(ADMIN_API_KEYS)('%s refuses a member with FORBIDDEN, before reading the payload', async (key) => {
    const answer = await call(key, { anything: 'at all' }, member);
    expect(answer).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only Jira administrators can configure Finding Sync.' },
    });
  });

  it('refuses a payload that breaks the contract, with the field path', async () => {
    const answer = await call('connection/rotate-secret', { graceHours: 1000 });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'graceHours', message: expect.stringContaining('168') }] },
    });
  });
});

describe('site metadata', () => {
  it('lists the real priorities, fields and projects with issue types', async () => {
    const site = await expectOk('site/metadata');
    expect(site.priorities.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['Highest', 'High', 'Medium', 'Low', 'Lowest', 'Critical']),
    );
    expect(site.projects.map((p: { key: string }) => p.key)).toEqual(['COMP', 'OPS', 'SEC']);
    expect(site.projects.find((p: { key: string }) => p.key === 'SEC').issueTypes.length).toBeGreaterThan(0);
    expect(site.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'customfield_10042', name: 'CVSS score', custom: true })]),
    );
    expect(site.resolutions.map((r: { name: string }) => r.name)).toContain('Done');
  });

  it("gives a project's workflow statuses with categories and its scheme's priorities", async () => {
    const ops = await expectOk('site/project', { projectKey: 'OPS' });
    const statuses = ops.issueTypes[0].statuses;
    expect(statuses).toEqual(
      expect.arrayContaining([
        { id: '10003', name: "Won't Fix", categoryKey: 'done' },
        { id: '10004', name: 'Triage', categoryKey: 'new' },
      ]),
    );
    const site = await expectOk('site/metadata');
    const lowest = site.priorities.find((p: { name: string }) => p.name === 'Lowest');
    expect(ops.priorityIds).not.toContain(lowest.id);
  });

  it('answers NOT_FOUND for a project Jira does not have', async () => {
    expect(await call('site/project', { projectKey: 'NOPE' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', details: [{ path: 'projectKey' }] },
    });
  });
});

describe('configuration', () => {
  it('starts from the defaults at revision 0, saves with the revision, and refuses a stale save', async () => {
    const initial = await expectOk('config/get');
    expect(initial).toMatchObject({ revision: 0, savedAt: null, config: { priorityMap: { critical: 'Highest' } } });

    const config = {
      ...initial.config,
      priorityMap: { ...initial.config.priorityMap, high: 'Highest' },
      mappings: [SEC_MAPPING],
    };
    const saved = await expectOk('config/save', { revision: 0, config });
    expect(saved.revision).toBe(1);

    const reloaded = await expectOk('config/get');
    expect(reloaded).toMatchObject({
      revision: 1,
      savedBy: admin,
      config: {
        priorityMap: { high: 'Highest' },
        mappings: [expect.objectContaining({ id: 'web', projectKey: 'SEC' })],
      },
    });

    // A second admin still editing revision 0.
    const stale = await call('config/save', { revision: 0, config: initial.config });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', details: { currentRevision: 1, savedBy: admin } },
    });
    if (stale.ok) throw new Error('unreachable');
    expect(stale.error.message).toMatch(/Another administrator saved these settings .* Nothing was saved/);
    expect((await expectOk('config/get')).config.priorityMap.high).toBe('Highest');
  });

  it('lets only one of two concurrent saves of the same revision through', async () => {
    const current = await expectOk('config/get');
    const answers = await Promise.all([
      call('config/save', { revision: current.revision, config: { ...current.config, slaDays: { critical: 3 } } }),
      call('config/save', { revision: current.revision, config: { ...current.config, slaDays: { critical: 5 } } }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.error.code === 'CONFLICT')).toHaveLength(1);
    expect((await expectOk('config/get')).revision).toBe(current.revision + 1);
  });

  it('refuses settings the site does not have, each with its path, and saves nothing', async () => {
    const current = await expectOk('config/get');
    const answer = await call('config/save', {
      revision: current.revision,
      config: {
        ...current.config,
        priorityMap: { ...current.config.priorityMap, medium: 'Urgent' },
        mappings: [
          SEC_MAPPING,
          { id: 'gone', match: { assetIds: ['a-1'] }, projectKey: 'GONE', issueTypeName: 'Bug' },
          { ...SEC_MAPPING, id: 'typo', issueTypeName: 'Bugg', statusMap: { resolved: { statusName: 'Closed' } } },
        ],
        fieldMappings: [
          { source: 'title', fieldId: 'customfield_10042' },
          { source: 'title', fieldId: 'customfield_99999' },
          { source: 'cvss.score', fieldId: 'customfield_10040' },
        ],
      },
    });
    expect(answer.ok).toBe(false);
    if (answer.ok) throw new Error('unreachable');
    expect(answer.error.code).toBe('VALIDATION_FAILED');
    const byPath = Object.fromEntries(
      (answer.error.details as Array<{ path: string; message: string }>).map((d) => [d.path, d.message]),
    );
    expect(byPath).toEqual({
      'config.priorityMap.medium': 'Jira has no priority "Urgent"',
      'config.mappings[1].projectKey': 'Jira has no project with key GONE (deleted or renamed?)',
      'config.mappings[2].issueTypeId': 'Project SEC has no issue type "Bugg"',
      'config.mappings[2].statusMap.resolved': expect.stringContaining('Status "Closed" is not in the workflow of SEC'),
      'config.fieldMappings[0].fieldId': expect.stringContaining('"CVSS score" is a number field; it cannot hold text'),
      'config.fieldMappings[1].fieldId': 'Jira has no field customfield_99999 (deleted?)',
    });
    expect((await expectOk('config/get')).revision).toBe(current.revision);
  });

  it('refuses a document that breaks the config schema with zod paths under config.', async () => {
    const current = await expectOk('config/get');
    const answer = await call('config/save', {
      revision: current.revision,
      config: { ...current.config, slaDays: { high: 0 } },
    });
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        details: [{ path: 'config.slaDays.high', message: 'Must be at least 1 day' }],
      },
    });
  });
});

describe('connection', () => {
  it('shows the secret only when it is generated or rotated', async () => {
    const before = await expectOk('connection/get');
    expect(before.secret).toEqual({ exists: false, createdAt: null, previousExpiresAt: null });
    expect(before.webTriggerUrl).toMatch(/^https?:\/\//);

    const first = await expectOk('connection/rotate-secret', { graceHours: 24 });
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.previousExpiresAt).toBeNull();
    const second = await expectOk('connection/rotate-secret', { graceHours: 24 });
    expect(second.secret).not.toBe(first.secret);
    expect(Date.parse(second.previousExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    const after = await expectOk('connection/get');
    expect(after.secret).toMatchObject({
      exists: true,
      createdAt: second.createdAt,
      previousExpiresAt: second.previousExpiresAt,
    });
    expect(JSON.stringify(after)).not.toContain(second.secret);
    expect(JSON.stringify(after)).not.toContain(first.secret);
  });

  it('asks for the platform base URL before testing, and refuses one that is not http(s)', async () => {
    expect(await call('connection/test')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'config.platform.baseUrl' }] },
    });
    const current = await expectOk('config/get');
    const answer = await call('config/save', {
      revision: current.revision,
      config: { ...current.config, platform: { baseUrl: 'ftp://x' } },
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'config.platform.baseUrl' }] },
    });
  });

  it('reports an unreachable or disallowed platform instead of failing', async () => {
    const current = await expectOk('config/get');
    await expectOk('config/save', {
      revision: current.revision,
      config: { ...current.config, platform: { baseUrl: 'https://not-allowed.example' } },
    });
    const result = await expectOk('connection/test');
    expect(result).toMatchObject({
      url: 'https://not-allowed.example/api/jira-sync/callbacks',
      reachable: false,
      status: null,
    });
    expect(result.message.length).toBeGreaterThan(0);
  });
});

describe('health', () => {
  it('reports counts, no dead letters, and settings that no longer match Jira', async () => {
    const health = await expectOk('health/get');
    expect(health.counts).toMatchObject({ accepted: 0, created: 0, failed: 0 });
    expect(health.deadLetters).toEqual([]);
    expect(health.outboxBacklog).toBe(0);
    expect(health.problemsUnavailable).toBeNull();
    // The saved mapping to SEC is fine; SEC's scheme has every default priority.
    expect(health.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
  });

  it('answers NOT_FOUND when replaying a dead letter that is gone', async () => {
    expect(await call('dead-letters/replay', { findingKey: 'fk-nothing' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('the admin check is cached (Jira charges ~2,000 points per mypermissions)', () => {
  it('asks Jira once per admin per 5 minutes, and asks again for a member every time', async () => {
    const op = 'GET /rest/api/3/mypermissions';
    const asked = () => sandbox.jira.counters.get(op);
    const before = asked();
    await call('site/metadata');
    await call('site/metadata');
    await call('config/get');
    expect(asked() - before).toBeLessThanOrEqual(1);
    const afterAdmin = asked();
    await call('config/get', {}, member);
    await call('config/get', {}, member);
    expect(asked() - afterAdmin).toBe(2); // a "no" is never remembered
  });
});
