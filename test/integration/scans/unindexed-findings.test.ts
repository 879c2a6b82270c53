import { kvs } from '@forge/kvs';
import { buildFinding } from '../../builders/finding';
import { baseConfig, createCallbackKit, SHARED_SECRET, type CallbackKit } from '../callbacks/callback-kit';
import { jiraIssues, postFindings, quietAppLogs } from '../findings/findings-sandbox';

/**
 * Findings synced before complete scans existed have no scope index entry, and their states name no scope. An
 * unchanged re-post (a duplicate: no Jira call) still puts them in their scope's index, once, so that a later
 * complete scan closes what it no longer reports.
 */
const SCOPE = { asset: 'web-shop', source: 'semgrep' };
const findings = (numbers: number[]) =>
  numbers.map((n) =>
    buildFinding({
      id: `old-${n}`,
      title: `Injection ${n}`,
      scanner: 'semgrep',
      asset: { id: 'web-shop', name: 'web-shop' },
      location: { file: `src/file-${n}.ts`, line: n + 1 },
      owner: undefined,
      url: undefined,
      updatedAt: undefined,
    }),
  );
type Issue = Awaited<ReturnType<typeof jiraIssues>>[number];
const category = (issue: Issue) => (issue.fields['status'] as { statusCategory: { key: string } }).statusCategory.key;
const findingIdOf = (issue: Issue) => (issue.properties?.['findingSyncLink'] as { findingId: string }).findingId;

describe('findings synced before complete scans', () => {
  beforeAll(quietAppLogs);
  let kit: CallbackKit;
  let lastT = 0;
  afterEach(() => kit?.close());

  async function post(numbers: number[], complete: boolean) {
    const body = {
      source: 'conviso',
      findings: findings(numbers),
      ...(complete ? { scope: SCOPE, complete: true } : {}),
    };
    // Each post its own, later, signing second: the same body signed twice in one second is a replay (401).
    const t = (lastT = Math.max(Math.floor(Date.now() / 1000), lastT + 1));
    const response = await postFindings(kit.sandbox, body, { secret: SHARED_SECRET, t });
    expect(response.status).toBe(202);
    await kit.sandbox.settle();
    return response.json;
  }

  /** What an older version left: no index entries, states without a scope. */
  async function forgetScopes(): Promise<void> {
    for (const key of await kit.kvsKeys('scope:')) await kit.sandbox.runAsApp(() => kvs.delete(key));
    for (const key of await kit.kvsKeys('finding:')) {
      const { scope: _scope, ...older } = (await kit.kvsGet(key)) as Record<string, unknown>;
      await kit.sandbox.runAsApp(() => kvs.set(key, older));
    }
  }

  it('an unchanged complete re-post lists them (no Jira write); a later complete scan closes the missing', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    const all = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    await post(all, false);
    await forgetScopes();
    expect(await kit.kvsKeys('scope:')).toHaveLength(0);

    // Unchanged: all duplicates, no Jira write — but now in the index, and the states name the scope.
    const writesBefore = kit.sandbox.jira.counters.writes;
    const receipt = await post(all, true);
    expect(receipt).toMatchObject({ accepted: 0, duplicates: 10 });
    expect(kit.sandbox.jira.counters.writes).toBe(writesBefore);
    expect(await kit.kvsKeys('scope:')).toHaveLength(10);
    for (const key of await kit.kvsKeys('finding:'))
      expect((await kit.kvsGet(key)) as { scope?: string }).toHaveProperty('scope', expect.stringMatching(/^sc-/));

    // Once: the next unchanged re-post queues nothing.
    const events = kit.sandbox.queues.deliveries.length;
    await post(all, false);
    expect(kit.sandbox.queues.deliveries.length).toBe(events);
    expect(await kit.kvsKeys('inbox:')).toHaveLength(0);

    // A later complete scan closes the three it no longer reports.
    await post([0, 1, 2, 3, 4, 5, 6], true);
    const issues = await jiraIssues(kit.sandbox);
    expect(
      issues
        .filter((i) => category(i) === 'done')
        .map(findingIdOf)
        .sort(),
    ).toEqual(['old-7', 'old-8', 'old-9']);
    expect(kit.statusCallbacks()).toHaveLength(3);
  }, 180_000);
  it('a finding whose scope id changed moves to the new scope’s index on an unchanged re-post', async () => {
    kit = await createCallbackKit({ config: baseConfig });
    const all = [0, 1, 2, 3, 4];
    await post(all, false);
    // As if the scope had been computed otherwise before: entries and states under another scope id.
    const indexed = await kit.kvsKeys('scope:');
    expect(indexed).toHaveLength(5);
    const current = indexed[0]!.split(':')[1]!;
    for (const key of indexed) {
      const value = await kit.kvsGet(key);
      await kit.sandbox.runAsApp(() => kvs.set(key.replace(current, 'sc-older'), value));
      await kit.sandbox.runAsApp(() => kvs.delete(key));
    }
    for (const key of await kit.kvsKeys('finding:')) {
      const state = (await kit.kvsGet(key)) as Record<string, unknown>;
      await kit.sandbox.runAsApp(() => kvs.set(key, { ...state, scope: 'sc-older' }));
    }

    expect(await kit.kvsKeys('scope:sc-older:')).toHaveLength(5);

    const writesBefore = kit.sandbox.jira.counters.writes;
    await post(all, false);
    expect(kit.sandbox.jira.counters.writes).toBe(writesBefore);
    expect(await kit.kvsKeys('scope:sc-older:')).toEqual([]);
    expect(await kit.kvsKeys(`scope:${current}:`)).toHaveLength(5);
    for (const key of await kit.kvsKeys('finding:'))
      expect((await kit.kvsGet(key)) as { scope?: string }).toHaveProperty('scope', current);
  }, 180_000);
});
