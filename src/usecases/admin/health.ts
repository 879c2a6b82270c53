import type { AdminResult, DeadLetterView, HealthView } from '../../contracts/admin-api';
import type { SyncConfig } from '../../domain/config';
import type { DeadLetterPage, DeadLetterReader, OutboxCounter, SiteReader, SyncActivityReader } from './admin-ports';
import { checkConfigAgainstSite } from './site-check';

/**
 * The Health section: activity counts, dead letters with Jira's field errors, outbox backlog, settings Jira no longer
 * matches.
 */

export type HealthDeps = {
  totals: () => Promise<HealthView['counts']>;
  activity: SyncActivityReader;
  deadLetters: DeadLetterReader;
  /** Absent until the callback outbox can be counted; the page then says so. */
  outbox?: OutboxCounter;
  config: () => Promise<SyncConfig>;
  site: SiteReader;
  lastHealthRunAt: () => Promise<string | null>;
};

export const DEAD_LETTERS_SHOWN = 50;

export function toDeadLetterView(letter: DeadLetterPage['letters'][number]): DeadLetterView {
  return {
    findingKey: letter.findingKey,
    findingId: letter.findingId,
    source: letter.source,
    title: letter.finding.title,
    severity: letter.finding.severity,
    stage: letter.stage,
    reason: letter.reason,
    status: letter.status ?? null,
    fieldErrors: letter.fieldErrors,
    errorMessages: letter.errorMessages,
    issueKey: letter.issueKey ?? null,
    failedAt: letter.failedAt,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function getHealth(deps: HealthDeps): Promise<AdminResult<HealthView>> {
  const [counts, lastIngestAt, lastHealthRunAt, page, outboxBacklog, config] = await Promise.all([
    deps.totals(),
    deps.activity.lastIngestAt(),
    deps.lastHealthRunAt(),
    deps.deadLetters.list({ limit: DEAD_LETTERS_SHOWN }),
    deps.outbox ? deps.outbox.countPending() : Promise.resolve(null),
    deps.config(),
  ]);
  let problems: HealthView['problems'] = [];
  let problemsUnavailable: string | null = null;
  try {
    problems = (await checkConfigAgainstSite(config, deps.site)).problems;
  } catch (error) {
    problemsUnavailable = `Jira could not be asked: ${describe(error)}`;
  }
  const deadLetters = [...page.letters]
    .sort((a, b) => Date.parse(b.failedAt) - Date.parse(a.failedAt))
    .map(toDeadLetterView);
  return {
    ok: true,
    data: {
      lastIngestAt,
      lastHealthRunAt,
      counts,
      deadLetters,
      moreDeadLetters: page.cursor !== undefined,
      outboxBacklog,
      problems,
      problemsUnavailable,
    },
  };
}
