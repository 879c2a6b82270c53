import type { Sandbox } from '../../../sandbox';
import { seededRandom } from '../../../sandbox/jira/search-index';
import { buildFinding } from '../../builders/finding';
import {
  afterLeaseExpiry,
  batch,
  deadLetters,
  findingIdsOf,
  invokeConsumer,
  jiraIssues,
  pendingSyncEvents,
  postFindings,
} from './findings-sandbox';

/**
 * Seeded crash trials of the sync consumer under a lagging search index (the emulator's default, seeded random
 * lag). Each trial posts 1–3 new findings to one of three lanes and kills the consumer after a random SDK call;
 * sometimes its retry is killed too, sometimes Jira's answer to the bulk create is lost on its way back (the retry
 * comes seconds later, long before the index shows the issues). Used by the CI test (fewer trials) and the bench
 * (`bench/crash-bench.ts`, 500). No jest here: the bench runs it too.
 */

/** More than the consumer makes for a chunk of ≤ 3 new findings: some trials do not crash at all. */
const MAX_KILL_POINT = 24;

export type CrashTrialsResult = {
  seed: number;
  trials: number;
  findings: number;
  killed: number;
  retryKilled: number;
  answerLost: number;
  duplicates: string[];
  lost: string[];
  deadLetters: number;
  failedEvents: number;
  /** Injected faults never consumed (should be 0: every lost answer met a bulk create). */
  faultsLeft: number;
};

export async function runCrashTrials(sandbox: Sandbox, seed: number, trials: number): Promise<CrashTrialsResult> {
  const random = seededRandom(seed);
  if (sandbox.jira.faults.settings.searchIndexLag.kind !== 'random') throw new Error('the index lag must be on');
  // One schedule for the whole run: the index lag follows the same seed.
  sandbox.jira.faults.set({ searchIndexLag: { kind: 'random', seed } });
  const expected: string[] = [];
  const tally = { killed: 0, retryKilled: 0, answerLost: 0, faultsLeft: 0 };
  const assets = ['web-shop', 'infra-net', 'ledger']; // the three lanes: web, infra, the default mapping

  for (let trial = 0; trial < trials; trial++) {
    const count = 1 + Math.floor(random() * 3);
    const asset = assets[Math.floor(random() * assets.length)]!;
    const findings = Array.from({ length: count }, (_, i) =>
      buildFinding({ id: `t${trial}-${i}`, asset: { id: asset, name: asset } }),
    );
    expected.push(...findings.map((f) => f.id));
    await postFindings(sandbox, batch(findings));
    const event = pendingSyncEvents(sandbox).slice(-1)[0];
    if (random() < 0.3) {
      tally.answerLost++;
      sandbox.jira.faults.inject({ status: 504, operation: 'POST /rest/api/3/issue/bulk', afterHandling: true });
    }
    const kill = 1 + Math.floor(random() * MAX_KILL_POINT);
    const crashed = await invokeConsumer(sandbox, event, kill).then(
      () => false,
      () => true,
    );
    if (random() < 0.25) {
      tally.retryKilled++;
      sandbox.invoker.crashNextInvocation('sync-consumer', 1 + Math.floor(random() * MAX_KILL_POINT));
    }
    // Forge redelivers the event (its own copy is still queued). A dead consumer holds its lane's lease until the
    // TTL; waits (Retry-After, the index lag the recovery waits out) are skipped by the sandbox's one clock.
    if (crashed) {
      tally.killed++;
      await afterLeaseExpiry(() => sandbox.settle());
    } else await sandbox.settle();
    tally.faultsLeft += sandbox.jira.faults.pending();
  }

  const ids = findingIdsOf(await jiraIssues(sandbox));
  const seen = new Set(ids);
  return {
    seed,
    trials,
    findings: expected.length,
    ...tally,
    duplicates: ids.filter((id, i) => i > 0 && ids[i - 1] === id),
    lost: expected.filter((id) => !seen.has(id)),
    deadLetters: (await deadLetters(sandbox)).length,
    failedEvents: sandbox.queues.failed.length,
  };
}
