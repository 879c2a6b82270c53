import type { SyncConfigInput } from '../../../src/domain/config';
import type { Finding } from '../../../src/domain/finding';
import type { Grouping } from '../../../src/domain/grouping-mode';
import { syncStatsRepository } from '../../../src/storage/sync-stats-repository';
import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import {
  afterLeaseExpiry,
  batch,
  createFindingsSandbox,
  invokeConsumer,
  jiraIssues,
  pendingSyncEvents,
  postFindings,
  quietAppLogs,
  setConfig,
} from '../findings/findings-sandbox';
import type { Sandbox } from '../../../sandbox';

/**
 * Changing a mapping's grouping moves no issue; the Health tab says how many findings still sit in issues of
 * the old style — from the tally the sync keeps in its roll-ups, at no extra KVS request of the Health view.
 */

const config = (grouping: Grouping): SyncConfigInput =>
  buildSyncConfig({
    mappings: [{ id: 'web', match: { assetNamePattern: 'web-*' }, projectKey: 'SEC', issueTypeName: 'Bug', grouping }],
  });

const member = (i: number, overrides: Partial<Finding> = {}): Finding =>
  buildFinding({
    id: `style-${i}`,
    title: 'XML injection',
    asset: { id: 'web', name: 'web-shop' },
    scanner: 'Semgrep',
    attributes: { ruleId: 'xml-injection' },
    location: { file: `src/file-${i}.ts`, line: 1 },
    updatedAt: '2024-05-01T00:00:00Z',
    ...overrides,
  });

async function oldStyle(sandbox: Sandbox) {
  const answer = (await sandbox.callResolver('health/get', {}, { accountId: sandbox.jira.users.admin })) as {
    ok: boolean;
    data: { oldStyleIssues: unknown[] };
  };
  expect(answer.ok).toBe(true);
  return answer.data.oldStyleIssues;
}

describe('findings in issues of an earlier grouping', () => {
  beforeAll(quietAppLogs);

  it('none → by rule → none: the Health tab counts the findings left in old-style issues each time', async () => {
    const sandbox = await createFindingsSandbox({ config: config('none') });
    await postFindings(sandbox, batch([0, 1, 2].map((i) => member(i))));
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(3);
    expect(await oldStyle(sandbox)).toEqual([]);

    await setConfig(sandbox, config('rule'));
    expect(await oldStyle(sandbox)).toEqual([{ mappingId: 'web', projectKey: 'SEC', grouping: 'none', findings: 3 }]);

    // Four new findings of the rule join one group issue; a changed old one stays in its own issue.
    await postFindings(
      sandbox,
      batch([
        ...[3, 4, 5, 6].map((i) => member(i)),
        member(0, { severity: 'critical', updatedAt: '2024-05-02T00:00:00Z' }),
      ]),
    );
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(4);
    expect(await oldStyle(sandbox)).toEqual([{ mappingId: 'web', projectKey: 'SEC', grouping: 'none', findings: 3 }]);

    await setConfig(sandbox, config('none'));
    expect(await oldStyle(sandbox)).toEqual([{ mappingId: 'web', projectKey: 'SEC', grouping: 'rule', findings: 4 }]);
    await postFindings(sandbox, batch([member(7)]));
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(5);
    expect(await oldStyle(sandbox)).toEqual([{ mappingId: 'web', projectKey: 'SEC', grouping: 'rule', findings: 4 }]);

    // The tally is a level, not activity: folded by the hourly check, it outlives the 30-day window.
    const later = new Date(Date.now() + 40 * 24 * 3_600_000);
    const styles = await sandbox.runAsApp(async () => {
      for (const hoursLater of [3, 40 * 24])
        await syncStatsRepository.fold(new Date(Date.now() + hoursLater * 3_600_000));
      return (await syncStatsRepository.view(later)).styles;
    });
    expect(styles).toEqual({ 'none:web': 4, 'rule:web': 4 });
  });

  it('a consumer killed after any of its SDK calls still counts every finding once', async () => {
    const members = [0, 1, 2].map((i) => member(i));
    const reference = await createFindingsSandbox({ config: config('rule') });
    await postFindings(reference, batch(members));
    await invokeConsumer(reference, pendingSyncEvents(reference)[0]);
    const total = reference.sdkCalls.filter((c) => c.functionKey === 'sync-consumer').length;
    for (let kill = 1; kill <= total; kill++) {
      const sandbox = await createFindingsSandbox({ config: config('rule') });
      await postFindings(sandbox, batch(members));
      await invokeConsumer(sandbox, pendingSyncEvents(sandbox)[0], kill).catch(() => undefined);
      await afterLeaseExpiry(() => sandbox.settle());
      const styles = await sandbox.runAsApp(async () => (await syncStatsRepository.view(new Date())).styles);
      expect({ kill, styles }).toEqual({ kill, styles: { 'rule:web': 3 } });
    }
  });
});
