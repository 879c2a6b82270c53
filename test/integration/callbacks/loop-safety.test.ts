import { PlatformEmulator } from '../../../sandbox/platform/platform-emulator';
import { createSandbox, type Sandbox } from '../../../sandbox';
import { ensureAppSigningSecret } from '../../../src/composition';
import type { Finding, FindingStatus } from '../../../src/domain/finding';
import { signPayload } from '../../../src/domain/signature';
import { configRepository } from '../../../src/storage/config-repository';
import { linkRepository } from '../../../src/storage/link-repository';
import { buildFinding } from '../../builders/finding';
import { buildSyncConfig } from '../../builders/sync-config';
import { quietAppLogs } from '../findings/findings-sandbox';

/**
 * Both directions for a while, with the real app on both paths: the platform posts findings to the
 * ingest web trigger (findings → Jira sync transitions issues), people move issues in Jira (issue
 * events → callbacks), and the platform emulator *applies* every callback it receives by re-posting
 * the finding with the status it was told — as a real platform would. Counted: the app's Jira
 * writes, and the callbacks. Neither direction may echo.
 */

const SECRET = 'loop-test-secret-0123456789abcdefghijklmnop';
type StatusCallback = { id: string; type: string; finding: { id: string }; findingStatus: FindingStatus };

describe('loop safety: both directions running together never echo', () => {
  beforeAll(quietAppLogs);
  let platform: PlatformEmulator;
  let sandbox: Sandbox;
  const findings = new Map<string, Finding>();
  let clock = Date.parse('2024-06-01T00:00:00Z');

  async function post(list: Finding[]): Promise<void> {
    const body = JSON.stringify({ source: 'conviso', findings: list });
    const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
      headers: {
        'Content-Type': 'application/json',
        'X-Signature': signPayload(SECRET, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(response.status).toBe(202);
  }

  /** The platform side: a finding's status changes there (a triage decision or an applied callback). */
  async function platformSets(id: string, status: FindingStatus): Promise<void> {
    clock += 60_000;
    const next = { ...findings.get(id)!, status, updatedAt: new Date(clock).toISOString() };
    findings.set(id, next);
    await post([next]);
  }

  const appJiraWrites = () =>
    sandbox.sdkCalls.filter(
      (c) =>
        c.target === 'fpp:app:jira' && (c.method === 'PUT' || (c.method === 'POST' && !c.path.includes('/search'))),
    ).length;
  let seenCallbacks = 0;
  /** Applies the callbacks received since the last call, the way the platform would. Returns how many. */
  async function platformAppliesCallbacks(): Promise<number> {
    const accepted = platform.accepted().slice(seenCallbacks);
    seenCallbacks += accepted.length;
    const statusCallbacks = accepted
      .map((c) => c.json as StatusCallback)
      .filter((b) => b.type === 'finding.status_changed');
    for (const callback of statusCallbacks) await platformSets(callback.finding.id, callback.findingStatus);
    return statusCallbacks.length;
  }

  beforeAll(async () => {
    platform = new PlatformEmulator(SECRET);
    await platform.listen(0);
    sandbox = createSandbox({ env: { PLATFORM_ORIGIN: platform.url }, jira: { seed: 'empty' } });
    await sandbox.runAsApp(() => ensureAppSigningSecret({ initial: SECRET }));
    const saved = await sandbox.runAsApp(() =>
      configRepository.save({ ...buildSyncConfig(), platform: { baseUrl: platform.url } }),
    );
    expect(saved.ok).toBe(true);
  });
  afterAll(async () => {
    await sandbox.close();
    await platform.close();
  });

  it('runs 6 rounds of platform changes and user changes; writes and callbacks match the causes exactly', async () => {
    const ids = ['loop-1', 'loop-2', 'loop-3'];
    for (const id of ids)
      findings.set(
        id,
        buildFinding({ id, asset: { id: 'web', name: 'web-shop' }, updatedAt: new Date(clock).toISOString() }),
      );
    await post([...findings.values()]);
    await sandbox.settle();
    const issueKeys = new Map<string, string>();
    for (const id of ids) {
      const issues = await sandbox.runAsApp(async () => {
        const { kvs, WhereConditions } = await import('@forge/kvs');
        return (await kvs.query().where('key', WhereConditions.beginsWith('link:issue:')).limit(20).getMany()).results;
      });
      const link = issues
        .map((r) => r.value as { findingId: string; issueKey: string; issueId: string })
        .find((l) => l.findingId === id)!;
      expect(await sandbox.runAsApp(() => linkRepository.findByIssueId(link.issueId))).toBeDefined();
      issueKeys.set(id, link.issueKey);
    }
    await platformAppliesCallbacks();
    const dev = sandbox.jira.as(sandbox.jira.users.developer);
    const statusOf = async (id: string) =>
      ((await dev.getIssue(issueKeys.get(id)!)) as { fields: { status: { name: string } } }).fields.status.name;

    const tally = {
      userTransitions: 0,
      callbacks: 0,
      platformChanges: 0,
      appWritesForPlatform: 0,
      appWritesAfterCallbacks: 0,
      callbacksAfterPlatform: 0,
    };
    for (let round = 0; round < 6; round++) {
      const id = ids[round % ids.length]!;
      // 1. A person works the issue in Jira: each transition must produce exactly one callback…
      for (const step of ['In Progress', 'In Review']) {
        if ((await statusOf(id)) === step) continue;
        const before = platform.accepted().length;
        await dev.transition(issueKeys.get(id)!, step);
        tally.userTransitions++;
        await sandbox.settle();
        const callbacks = platform.accepted().length - before;
        expect(callbacks).toBe(1);
        tally.callbacks += callbacks;
        // …and the platform applying it must not bounce back into Jira.
        const writes = appJiraWrites();
        const applied = await platformAppliesCallbacks();
        expect(applied).toBe(1);
        await sandbox.settle();
        tally.appWritesAfterCallbacks += appJiraWrites() - writes;
        expect(await platformAppliesCallbacks()).toBe(0); // nothing new came back
      }
      // 2. The platform resolves the finding: the app transitions the issue, and must not echo it.
      const before = platform.accepted().length;
      const writes = appJiraWrites();
      await platformSets(id, round % 2 === 0 ? 'resolved' : 'false_positive');
      tally.platformChanges++;
      await sandbox.settle();
      tally.appWritesForPlatform += appJiraWrites() - writes;
      expect(await statusOf(id)).toBe('Done');
      tally.callbacksAfterPlatform += platform.accepted().length - before;
      // 3. The platform reopens it: back to a to-do status, still no echo.
      const writesReopen = appJiraWrites();
      const beforeReopen = platform.accepted().length;
      await platformSets(id, 'reopened');
      tally.platformChanges++;
      await sandbox.settle();
      expect(appJiraWrites()).toBeGreaterThan(writesReopen);
      tally.appWritesForPlatform += appJiraWrites() - writesReopen;
      tally.callbacksAfterPlatform += platform.accepted().length - beforeReopen;
    }

    expect(tally.userTransitions).toBeGreaterThanOrEqual(12);
    expect(tally.callbacks).toBe(tally.userTransitions);
    expect(tally.appWritesAfterCallbacks).toBe(0);
    expect(tally.callbacksAfterPlatform).toBe(0);
    expect(tally.appWritesForPlatform).toBeGreaterThanOrEqual(tally.platformChanges);
    expect(sandbox.productEvents.log.filter((r) => r.outcome === 'filtered').length).toBeGreaterThanOrEqual(
      tally.platformChanges,
    );
    // Quiet at the end: nothing pending anywhere.
    expect(sandbox.queues.pending()).toEqual([]);
    expect(sandbox.productEvents.pending()).toEqual([]);
    console.info('loop tally', tally);
  });
});
