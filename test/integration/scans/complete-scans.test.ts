import { buildFinding } from '../../builders/finding';
import { baseConfig, createCallbackKit, SHARED_SECRET, type CallbackKit } from '../callbacks/callback-kit';
import { jiraIssues, postFindings, quietAppLogs } from '../findings/findings-sandbox';

/**
 * Complete scans through the signed web trigger: a post that declares itself complete for a scope closes the open
 * findings of that scope it no longer reports; one that would close too many is held.
 */
const SCOPE = { asset: 'web-shop', source: 'semgrep' };

function scanFindings(numbers: number[]) {
  return numbers.map((n) =>
    buildFinding({
      id: `sg-${n}`,
      title: `Injection ${n}`,
      scanner: 'semgrep',
      asset: { id: 'web-shop', name: 'web-shop' },
      location: { file: `src/file-${n}.ts`, line: n + 1 },
      owner: undefined,
      url: undefined,
      updatedAt: undefined,
    }),
  );
}

type Answer = { ok: boolean; data?: unknown; error?: { code: string } };
type Issue = Awaited<ReturnType<typeof jiraIssues>>[number];
const findingIdOf = (issue: Issue) => (issue.properties?.['findingSyncLink'] as { findingId: string }).findingId;
const category = (issue: Issue) => (issue.fields['status'] as { statusCategory: { key: string } }).statusCategory.key;
const comments = (issue: Issue) =>
  JSON.stringify((issue.fields['comment'] as { comments?: unknown[] } | undefined)?.comments ?? []);

describe('complete scans', () => {
  beforeAll(quietAppLogs);
  let kit: CallbackKit;
  let lastT = 0;
  afterEach(() => kit?.close());

  async function post(numbers: number[], complete: boolean) {
    const body = {
      source: 'conviso',
      findings: scanFindings(numbers),
      ...(complete ? { scope: SCOPE, complete: true } : {}),
    };
    // A platform re-sending the same scan signs it anew: the same body signed in the same second is a
    // replay and is refused (401), which a fast machine reaches. Each post gets its own timestamp, always a later
    // one (counting down from the clock repeats a timestamp once a second has passed between two posts).
    const t = (lastT = Math.max(Math.floor(Date.now() / 1000), lastT + 1));
    const response = await postFindings(kit.sandbox, body, { secret: SHARED_SECRET, t });
    expect({ status: response.status, body: response.status === 202 ? undefined : response.json }).toEqual({
      status: 202,
      body: undefined,
    });
    await kit.sandbox.settle();
    return response.json;
  }

  it('closes what a complete scan no longer reports (comment, callback); reopens what comes back', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    const all = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    await post(all, false);
    let issues = await jiraIssues(kit.sandbox);
    expect(issues).toHaveLength(10);
    expect(issues.every((i) => category(i) !== 'done')).toBe(true);

    const receipt = await post([0, 1, 2, 3, 4, 5, 6], true);
    expect(receipt['scans']).toEqual([expect.objectContaining({ scope: 'conviso: semgrep on web-shop', reported: 7 })]);
    issues = await jiraIssues(kit.sandbox);
    const done = issues
      .filter((i) => category(i) === 'done')
      .map(findingIdOf)
      .sort();
    expect(done).toEqual(['sg-7', 'sg-8', 'sg-9']);
    for (const issue of issues.filter((i) => category(i) === 'done'))
      expect(comments(issue)).toContain('Closed by a complete scan: conviso: semgrep on web-shop');
    const callbacks = kit.statusCallbacks();
    expect(callbacks).toHaveLength(3);
    expect(callbacks.map((c) => (c['finding'] as { id: string }).id).sort()).toEqual(['sg-7', 'sg-8', 'sg-9']);
    for (const callback of callbacks)
      expect(callback).toMatchObject({ findingStatus: 'resolved', jira: { statusCategory: 'done' }, actor: null });

    // The same complete scan again closes nothing more, and sends nothing more.
    await post([0, 1, 2, 3, 4, 5, 6], true);
    expect(kit.statusCallbacks()).toHaveLength(3);

    // Scan 3 brings sg-8 back: its issue is reopened.
    await post([0, 1, 2, 3, 4, 5, 6, 8], true);
    issues = await jiraIssues(kit.sandbox);
    const back = issues.find((i) => findingIdOf(i) === 'sg-8')!;
    expect(category(back)).toBe('new');
    expect(
      issues
        .filter((i) => category(i) === 'done')
        .map(findingIdOf)
        .sort(),
    ).toEqual(['sg-7', 'sg-9']);
    expect(issues).toHaveLength(10);
  }, 180_000);

  it('holds a complete scan with 0 results for a scope with 10 open findings', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    await post([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], false);
    await post([], true);
    const issues = await jiraIssues(kit.sandbox);
    expect(issues.filter((i) => category(i) === 'done')).toHaveLength(0);
    expect(await kit.kvsKeys('scan-held:')).toHaveLength(1);
    expect(kit.statusCallbacks()).toHaveLength(0);

    // The Health tab lists it; a non-admin can neither see nor apply it.
    const call = (key: string, payload: unknown, accountId: string) =>
      kit.sandbox.callResolver(key, payload, { accountId }) as Promise<Answer>;
    const listed = await call('scans/held', {}, kit.users.admin);
    expect(listed).toMatchObject({
      ok: true,
      data: { scans: [{ scope: 'conviso: semgrep on web-shop', reported: 0, open: 10, missing: 10 }], cursor: null },
    });
    const scanId = (listed as { data: { scans: Array<{ scanId: string }> } }).data.scans[0]!.scanId;
    expect(await call('scans/apply', { scanId }, kit.users.member)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await call('scans/held', {}, kit.users.member)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('scans/apply', { scanId: '' }, kit.users.admin)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'scanId' }] },
    });
    await kit.sandbox.settle();
    expect((await jiraIssues(kit.sandbox)).filter((i) => category(i) === 'done')).toHaveLength(0);

    // An admin applies it: the 10 are closed, each with its callback.
    expect(await call('scans/apply', { scanId }, kit.users.admin)).toEqual({ ok: true, data: { queued: true } });
    await kit.sandbox.settle();
    expect((await jiraIssues(kit.sandbox)).filter((i) => category(i) === 'done')).toHaveLength(10);
    expect(kit.statusCallbacks()).toHaveLength(10);
    expect(await call('scans/held', {}, kit.users.admin)).toEqual({ ok: true, data: { scans: [], cursor: null } });
    expect(await call('scans/apply', { scanId }, kit.users.admin)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  }, 180_000);

  it('leaves alone a finding that moved to another asset since its scope listed it', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    await post([0, 1, 2, 3], false);
    const moved = { ...scanFindings([3])[0]!, asset: { id: 'other-shop', name: 'other-shop' } };
    expect(
      (await postFindings(kit.sandbox, { source: 'conviso', findings: [moved] }, { secret: SHARED_SECRET })).status,
    ).toBe(202);
    await kit.sandbox.settle();
    await post([0, 1, 2], true);
    const issues = await jiraIssues(kit.sandbox);
    expect(issues.filter((i) => category(i) === 'done')).toHaveLength(0);
    expect(await kit.kvsKeys('scan-held:')).toEqual([]);
    expect(kit.statusCallbacks()).toHaveLength(0);
  }, 180_000);

  it('closes nothing when a rejected result has no id: it may be one of the open findings', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    await post([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], false);
    // Finding 9 arrives malformed and without its id: the app cannot know it is still there.
    const body = {
      source: 'conviso',
      findings: [...scanFindings([0, 1, 2, 3, 4, 5, 6, 7, 8]), { title: 'Injection 9', severity: 'high' }],
      scope: SCOPE,
      complete: true,
    };
    const response = await postFindings(kit.sandbox, body, { secret: SHARED_SECRET });
    expect(response.status).toBe(202);
    await kit.sandbox.settle();
    expect(response.json['rejected']).toEqual([expect.objectContaining({ index: 9 })]);
    expect(response.json['scans']).toBeUndefined();
    expect(response.json['completeNotApplied']).toMatch(/1 rejected result\(s\) have no id.*nothing is closed/);
    const issues = await jiraIssues(kit.sandbox);
    expect(issues.filter((i) => category(i) === 'done')).toEqual([]);
    expect(kit.statusCallbacks()).toHaveLength(0);
  });

  it('discards a held scan: nothing is closed', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    await post([0, 1, 2, 3], false);
    await post([0], true); // 3 of 4 = 75 % > 50 %
    const call = (key: string, payload: unknown) =>
      kit.sandbox.callResolver(key, payload, { accountId: kit.users.admin }) as Promise<Answer>;
    const listed = (await call('scans/held', {})) as { data: { scans: Array<{ scanId: string; missing: number }> } };
    expect(listed.data.scans).toEqual([expect.objectContaining({ missing: 3 })]);
    const scanId = listed.data.scans[0]!.scanId;
    expect(await call('scans/discard', { scanId })).toEqual({ ok: true, data: { discarded: true } });
    await kit.sandbox.settle();
    expect((await jiraIssues(kit.sandbox)).filter((i) => category(i) === 'done')).toHaveLength(0);
    expect(await kit.kvsKeys('scan')).toEqual(expect.not.arrayContaining([expect.stringMatching(/^scan(-held)?:/)]));
  }, 180_000);

  it('refuses a bad declaration with a precise 400 and stores nothing', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    const bad = await postFindings(
      kit.sandbox,
      { source: 'conviso', findings: scanFindings([1]), complete: true, scope: { asset: 'web-shop' } },
      { secret: SHARED_SECRET },
    );
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'INVALID_BODY', details: [{ path: 'scope.source' }] } });
    const other = await postFindings(
      kit.sandbox,
      {
        source: 'conviso',
        findings: [...scanFindings([1]), { ...scanFindings([2])[0], scanner: 'trivy' }],
        complete: true,
        scope: SCOPE,
      },
      { secret: SHARED_SECRET },
    );
    expect(other.status).toBe(202);
    expect(other.json).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, id: 'sg-2', errors: [{ path: 'scanner' }] }],
    });
    expect(await kit.kvsKeys('inbox:')).toHaveLength(1);
  }, 60_000);
});

describe('complete SARIF scans (?complete=true)', () => {
  beforeAll(quietAppLogs);
  let kit: CallbackKit;
  afterEach(() => kit?.close());

  function sarifLog(lines: number[], category: string) {
    return {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'CodeQL', rules: [{ id: 'js/xss', shortDescription: { text: 'XSS' } }] } },
          automationDetails: { id: `${category}/run-1` },
          results: lines.map((line) => ({
            ruleId: 'js/xss',
            level: 'error',
            message: { text: `XSS at line ${line}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'src/app.js' }, region: { startLine: line } } }],
          })),
        },
      ],
    };
  }

  async function postSarif(lines: number[], category: string, complete: boolean) {
    const response = await postFindings(kit.sandbox, sarifLog(lines, category), {
      secret: SHARED_SECRET,
      contentType: 'application/sarif+json',
      query: `/?asset=web-shop${complete ? '&complete=true' : ''}`,
    });
    expect(response.status).toBe(202);
    await kit.sandbox.settle();
    return response.json;
  }

  it('closes per tool and category: another category of the same tool is left alone', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    await postSarif([10, 20, 30], 'javascript', false);
    await postSarif([40, 50, 60], 'typescript', false);
    expect(await jiraIssues(kit.sandbox)).toHaveLength(6);

    const receipt = await postSarif([10, 20], 'javascript', true);
    expect(receipt['scans']).toEqual([
      expect.objectContaining({ scope: 'sarif: CodeQL on web-shop (category javascript)', reported: 2 }),
    ]);
    const issues = await jiraIssues(kit.sandbox);
    const done = issues.filter((i) => category(i) === 'done');
    expect(done).toHaveLength(1);
    expect(JSON.stringify(done[0]!.fields['summary'])).toContain('30');
    expect(kit.statusCallbacks()).toHaveLength(1);

    const bad = await postFindings(kit.sandbox, sarifLog([10], 'javascript'), {
      secret: SHARED_SECRET,
      contentType: 'application/sarif+json',
      query: '/?asset=web-shop&complete=yes',
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'INVALID_QUERY' } });
  }, 180_000);
});
