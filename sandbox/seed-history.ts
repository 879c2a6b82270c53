import type { Sandbox } from './index';
import { buildStatusChangedCallback } from '../src/domain/callback-events';
import type { Finding } from '../src/domain/finding';
import { callbackKeys } from '../src/storage/callback-keys';
import { deadLetterRepository } from '../src/storage/dead-letter-repository';
import { batchSetValues } from '../src/storage/kvs-batch';
import { syncStatsRepository } from '../src/storage/sync-stats-repository';

/**
 * A busy installation's history, written through the app's own repositories: `findings` findings
 * over the last `days` days (default 30) as the health counters hold them — an ingest and a sync
 * record per shard and hour, folded into the 30-day window exactly as the hourly check does —
 * plus what such a month leaves for an admin to look at: dead letters (0.5 % of the findings,
 * at most 5,000), dead callbacks and callbacks waiting in the outbox. Per-finding records
 * (finding states, links) are not generated: no admin resolver reads them.
 *
 * `npm start -- --seed-history 1000000`, or `seedHistory(sandbox, {findings})` in tests and benches.
 */
export type HistoryOptions = {
  findings: number;
  days?: number;
  deadLetters?: number;
  deadCallbacks?: number;
  pendingCallbacks?: number;
  now?: Date;
};

export type SeededHistory = Required<Omit<HistoryOptions, 'now'>> & { hours: number; created: number };

const HOUR_MS = 3_600_000;
const SHARDS = 4;

function seededFinding(index: number, failedAt: Date): Finding {
  return {
    id: `hist-${index}`,
    title: `Dependency with a known vulnerability #${index}`,
    description: 'A vulnerable version of a library is in use. Upgrade it to the fixed version.',
    severity: (['critical', 'high', 'medium', 'low'] as const)[index % 4],
    status: 'open',
    asset: { id: `repo-${index % 300}`, name: `service-${index % 300}` },
    cve: [`CVE-2025-${10000 + (index % 50000)}`],
    cwe: ['CWE-1395'],
    references: [],
    attributes: {},
    scanner: 'dependency-scanner',
    updatedAt: failedAt.toISOString(),
  } as Finding;
}

/** Spreads `total` over `parts` (the first ones get the remainder), so the sums are exact. */
function spread(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

export async function seedHistory(sandbox: Sandbox, options: HistoryOptions): Promise<SeededHistory> {
  const now = options.now ?? new Date();
  const days = options.days ?? 30;
  const deadLetters = options.deadLetters ?? Math.min(5_000, Math.floor(options.findings * 0.005));
  const deadCallbacks = options.deadCallbacks ?? Math.min(1_000, Math.floor(options.findings * 0.001));
  const pendingCallbacks = options.pendingCallbacks ?? Math.min(50, Math.floor(options.findings * 0.0001));
  // From midnight (UTC) `days − 1` days ago to the start of the current hour: the 30 days the page counts.
  const currentHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const start = Math.floor(now.getTime() / (24 * HOUR_MS)) * 24 * HOUR_MS - (days - 1) * 24 * HOUR_MS;
  const hours = Math.max(1, (currentHour - start) / HOUR_MS);
  const slots = hours * SHARDS;
  const created = options.findings - deadLetters;

  await sandbox.runAsApp(async () => {
    for (let h = 0; h < hours; h++) {
      const at = new Date(start + h * HOUR_MS + 30 * 60_000);
      for (let s = 0; s < SHARDS; s++) {
        const slot = h * SHARDS + s;
        const findings = spread(options.findings, slots, slot);
        if (findings === 0) continue;
        // Every finding is posted twice a day on average: once new, then re-posted unchanged.
        await syncStatsRepository.record(
          `seed-ingest-${slot}`,
          {
            accepted: findings,
            duplicates: findings,
            rejected: spread(Math.floor(options.findings / 1000), slots, slot),
          },
          at,
        );
        await syncStatsRepository.record(
          `seed-sync-${slot}`,
          {
            created: spread(created, slots, slot),
            failed: spread(deadLetters, slots, slot),
            transitioned: spread(Math.floor(options.findings / 10), slots, slot),
          },
          at,
        );
      }
      // As the hourly check would have: fold once a day of the simulated month.
      if (h % 24 === 23) await syncStatsRepository.fold(new Date(start + (h + 2) * HOUR_MS));
    }
    await syncStatsRepository.fold(now);

    const letters = Array.from({ length: deadLetters }, (_, i) => {
      const failedAt = new Date(start + Math.floor((i / Math.max(1, deadLetters)) * hours * HOUR_MS));
      return {
        findingKey: `hist${String(i).padStart(8, '0')}`,
        findingId: `hist-${i}`,
        source: 'platform',
        lane: 'default',
        stage: 'create' as const,
        reason: 'Jira refused the issue',
        status: 400,
        fieldErrors: { customfield_10050: 'Team is required.' },
        errorMessages: [],
        failedAt: failedAt.toISOString(),
        finding: seededFinding(i, failedAt),
      };
    });
    await deadLetterRepository.saveMany(letters);

    const callback = (i: number, at: Date) =>
      buildStatusChangedCallback({
        finding: { id: `hist-${i}`, source: 'platform' },
        issue: { id: String(200000 + i), key: `SEC-${100000 + i}` },
        occurredAt: at.toISOString(),
        changelogId: String(500000 + i),
        jira: { statusId: '10001', statusName: 'Done', statusCategory: 'done', resolution: 'Done' },
        findingStatus: 'resolved',
      });
    const entry = (i: number, at: Date) => {
      const cb = callback(i, at);
      return {
        id: cb.id,
        callback: cb,
        partition: cb.issue.id,
        createdAt: at.toISOString(),
        attempts: 12,
        waitedMs: 86_400_000,
        token: `seed-${i}`,
        lastAttemptAt: at.toISOString(),
        lastStatus: 503,
        lastError: 'Service Unavailable',
      };
    };
    await batchSetValues(
      Array.from({ length: deadCallbacks }, (_, i) => {
        const at = new Date(now.getTime() - (i + 1) * 60_000);
        return {
          key: callbackKeys.dead(callback(i, at).id),
          value: { ...entry(i, at), failedAt: at.toISOString(), reason: 'No success within 24 h; last error: 503' },
        };
      }),
    );
    await batchSetValues(
      Array.from({ length: pendingCallbacks }, (_, i) => {
        const at = new Date(now.getTime() - 60_000);
        const pending = { ...entry(deadCallbacks + i, at), attempts: 1, waitedMs: 30_000 };
        return {
          key: callbackKeys.outbox(pending.id),
          value: { ...pending, nextAttemptAt: new Date(now.getTime() + 30 * 60_000).toISOString() },
        };
      }),
    );
  });
  return { findings: options.findings, days, deadLetters, deadCallbacks, pendingCallbacks, hours, created };
}
