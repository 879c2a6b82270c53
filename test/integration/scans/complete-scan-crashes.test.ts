import { buildFinding } from '../../builders/finding';
import { baseConfig, createCallbackKit, SHARED_SECRET, type CallbackKit } from '../callbacks/callback-kit';
import { afterLeaseExpiry, jiraIssues, postFindings, quietAppLogs } from '../findings/findings-sandbox';

/**
 * A complete scan's closing killed after any of its SDK calls — the closing job (admin-jobs) or the sync consumer
 * applying its chunk: once Forge redelivers, exactly the unreported finding is closed, once, with one callback id.
 */
const SCOPE = { asset: 'web-shop', source: 'semgrep' };
const findings = (numbers: number[]) =>
  numbers.map((n) =>
    buildFinding({
      id: `sg-${n}`,
      title: `Injection ${n}`,
      scanner: 'semgrep',
      asset: { id: 'web-shop', name: 'web-shop' },
      location: { file: `src/file-${n}.ts`, line: n + 1 },
      attributes: { ruleId: 'xml-injection' },
      owner: undefined,
      updatedAt: undefined,
    }),
  );

type Issue = Awaited<ReturnType<typeof jiraIssues>>[number];
const doneIds = (issues: Issue[]) =>
  issues
    .filter((i) => (i.fields['status'] as { statusCategory: { key: string } }).statusCategory.key === 'done')
    .map((i) => (i.properties?.['findingSyncLink'] as { findingId: string }).findingId)
    .sort();

function pendingEvent(kit: CallbackKit, queue: string) {
  const event = kit.sandbox.queues.pending(queue)[0];
  if (!event) throw new Error(`no pending event on ${queue}`);
  return { body: event.body, queueName: event.queueName, jobId: event.jobId, eventId: event.eventId };
}

/** Four findings synced (`grouped`: as members of one group issue), then a complete scan reporting three of them. */
async function scanned(grouped = false): Promise<CallbackKit> {
  const kit = await createCallbackKit({
    config: (url) => ({
      ...baseConfig(url),
      ...(grouped ? { defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug', grouping: 'rule' as const } } : {}),
    }),
  });
  const post = async (numbers: number[], complete: boolean) => {
    const body = { source: 'conviso', findings: findings(numbers), ...(complete ? { scope: SCOPE, complete } : {}) };
    expect((await postFindings(kit.sandbox, body, { secret: SHARED_SECRET })).status).toBe(202);
  };
  await post([0, 1, 2, 3], false);
  await kit.sandbox.settle();
  await post([0, 1, 2], true);
  return kit;
}

async function expectClosedOnce(kit: CallbackKit, label: string, grouped: boolean) {
  const callbacks = kit.statusCallbacks();
  expect({ label, ids: new Set(callbacks.map((c) => c['id'])).size }).toEqual({ label, ids: 1 });
  if (grouped) {
    // The group issue stays open (three members are); its member sg-3 is closed, and the platform told so once.
    expect({ label, done: doneIds(await jiraIssues(kit.sandbox)) }).toEqual({ label, done: [] });
    const members = callbacks.flatMap((c) =>
      (c['links'] as Array<{ finding: { id: string } }>).map((l) => l.finding.id),
    );
    expect({ label, members: [...new Set(members)] }).toEqual({ label, members: ['sg-3'] });
  } else expect({ label, done: doneIds(await jiraIssues(kit.sandbox)) }).toEqual({ label, done: ['sg-3'] });
  expect(await kit.kvsKeys('scan:')).toEqual([]);
}

describe('complete scan closing, crashed', () => {
  beforeAll(quietAppLogs);

  async function sdkCallCount(functionKey: string, queue: string, moduleKey: string, grouped: boolean) {
    const kit = await scanned(grouped);
    try {
      if (queue === 'finding-sync') {
        await kit.sandbox.invoke('admin-jobs', [pendingEvent(kit, 'admin-jobs'), {}], {
          moduleKey: 'admin-job-consumer',
        });
        kit.sandbox.sdkCalls.length = 0;
      }
      const before = kit.sandbox.sdkCalls.length;
      await kit.sandbox.invoke(functionKey, [pendingEvent(kit, queue), {}], { moduleKey });
      return kit.sandbox.sdkCalls.slice(before).filter((c) => c.functionKey === functionKey).length;
    } finally {
      await kit.close();
    }
  }

  it.each([
    ['the closing job', 'admin-jobs', 'admin-jobs', 'admin-job-consumer', false],
    ['the sync consumer applying its chunk', 'sync-consumer', 'finding-sync', 'finding-sync-consumer', false],
    ['the sync consumer closing a group member', 'sync-consumer', 'finding-sync', 'finding-sync-consumer', true],
  ])(
    '%s killed after each SDK call closes the finding once',
    async (_name, functionKey, queue, moduleKey, grouped) => {
      const total = await sdkCallCount(functionKey, queue, moduleKey, grouped);
      expect(total).toBeGreaterThan(3);
      for (let kill = 1; kill <= total; kill++) {
        const kit = await scanned(grouped);
        try {
          if (queue === 'finding-sync')
            await kit.sandbox.invoke('admin-jobs', [pendingEvent(kit, 'admin-jobs'), {}], {
              moduleKey: 'admin-job-consumer',
            });
          await kit.sandbox
            .invoke(functionKey, [pendingEvent(kit, queue), {}], { moduleKey, killAfterSdkCalls: kill })
            .catch(() => undefined);
          await afterLeaseExpiry(() => kit.sandbox.settle());
          await expectClosedOnce(kit, `${functionKey} killed after SDK call ${kill} of ${total}`, grouped);
        } finally {
          await kit.close();
        }
      }
    },
    600_000,
  );
});
