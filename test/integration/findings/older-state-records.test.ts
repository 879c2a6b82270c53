import { kvs } from '@forge/kvs';
import type { Sandbox } from '../../../sandbox';
import { computeFindingKey } from '../../../src/domain/finding-state';
import { keys } from '../../../src/storage/keys';
import { buildFinding } from '../../builders/finding';
import {
  batch,
  createFindingsSandbox,
  findingIdsOf,
  findingStates,
  jiraIssues,
  postFindings,
  quietAppLogs,
  totals,
} from './findings-sandbox';

/**
 * Finding states written by the app before states were a tagged union (optional `outcome`, the
 * content hash at the top, a pending mark beside an earlier outcome) are read, upgraded and acted
 * on as they meant: an installation keeps its history across the upgrade.
 */

const finding = buildFinding({ id: 'older', asset: { id: 'web', name: 'web-shop' } });
const key = computeFindingKey('conviso', 'older');

async function rawState(sandbox: Sandbox): Promise<Record<string, unknown>> {
  return (await sandbox.runAsApp(() => kvs.get(keys.findingState(key)))) as Record<string, unknown>;
}

/** Rewrites the stored state in the older shape (`settled` flattened, or dropped). */
async function storeOlderShape(sandbox: Sandbox, change: (flat: Record<string, unknown>) => Record<string, unknown>) {
  const { settled, ...rest } = await rawState(sandbox);
  const flat = { ...rest, ...(settled as object) };
  await sandbox.runAsApp(() => kvs.set(keys.findingState(key), change(flat)));
}

async function syncedOnce(): Promise<Sandbox> {
  const sandbox = await createFindingsSandbox();
  // Signed 120 s in the past, so a re-post signed at now - 3 s can never carry the same signature (replay guard).
  await postFindings(sandbox, batch([finding]), { t: Math.floor(Date.now() / 1000) - 120 });
  await sandbox.settle();
  expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(['older']);
  return sandbox;
}

describe('finding states stored in the older shape', () => {
  beforeAll(quietAppLogs);

  it('linked with its content hash: an identical re-post is still a duplicate', async () => {
    const sandbox = await syncedOnce();
    await storeOlderShape(sandbox, (flat) => flat);
    expect(await rawState(sandbox)).toMatchObject({ outcome: 'linked', contentHash: expect.any(String) });
    expect(
      (await postFindings(sandbox, batch([finding]), { t: Math.floor(Date.now() / 1000) - 3 })).json,
    ).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('linked without a content hash (an update had failed): a re-post retries it on the same issue', async () => {
    const sandbox = await syncedOnce();
    await storeOlderShape(sandbox, ({ contentHash: _dropped, ...flat }) => flat);
    expect(
      (await postFindings(sandbox, batch([finding]), { t: Math.floor(Date.now() / 1000) - 3 })).json,
    ).toMatchObject({ accepted: 1 });
    await sandbox.settle();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(['older']);
    expect((await findingStates(sandbox, [key])).get(key)).toMatchObject({ outcome: 'linked', settled: {} });
  });

  it('a pending mark beside an earlier outcome, its issue already created: linked, never created twice', async () => {
    const sandbox = await syncedOnce();
    const issueKey = (await jiraIssues(sandbox))[0]!.key;
    // As an older version left it when it died right after the bulk create.
    await storeOlderShape(sandbox, ({ issueId: _i, issueKey: _k, fingerprint: _f, ...flat }) => ({
      ...flat,
      outcome: 'dead',
      reason: 'an earlier refusal',
      pendingCreateSince: new Date().toISOString(),
    }));
    expect(
      (await postFindings(sandbox, batch([finding]), { t: Math.floor(Date.now() / 1000) - 3 })).json,
    ).toMatchObject({ accepted: 1 });
    await sandbox.settle();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(['older']);
    expect((await findingStates(sandbox, [key])).get(key)).toMatchObject({ outcome: 'linked', issueKey });
    expect(await totals(sandbox)).toMatchObject({ created: 1, recovered: 1 });
    expect(sandbox.jira.counters.byOperation()['POST /rest/api/3/issue/bulk']).toBe(1);
  });
});
