import { PAGE_SIZE, type AdminResult, type DeadLetterView, type HealthView } from '../../contracts/admin-api';
import type { DeadLetterPage, DeadLetterReader, HealthRecordsReader, OutboxCounter, SiteReader } from './admin-ports';
import { checkConfigAgainstSite } from './site-check';
import { findOldStyleIssues } from '../../domain/issue-style';

/**
 * The Health section: activity counts, dead letters with Jira's field errors, outbox backlog,
 * settings Jira no longer matches, bulk jobs. Its cost does not grow with history: the counts are
 * roll-ups, read in one batch with the other small records (configuration, jobs, last check, the
 * sync's quota pause); lists are one page of 20, the backlog is counted up to one page.
 */

export type HealthDeps = {
  /** Counters, last hourly check, configuration, bulk jobs and the sync's quota pause: one read. */
  records: HealthRecordsReader;
  now: () => Date;
  deadLetters: DeadLetterReader;
  /** Absent until the callback outbox can be counted; the page then says so. */
  outbox?: OutboxCounter;
  site: SiteReader;
};

export const DEAD_LETTERS_SHOWN = PAGE_SIZE;

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

/** The next page of dead letters (20, in key order) after `cursor`. */
export async function listDeadLetters(
  input: { cursor?: string },
  deps: Pick<HealthDeps, 'deadLetters'>,
): Promise<AdminResult<{ deadLetters: DeadLetterView[]; cursor: string | null }>> {
  const page = await deps.deadLetters.list({ limit: PAGE_SIZE, ...(input.cursor ? { cursor: input.cursor } : {}) });
  return { ok: true, data: { deadLetters: page.letters.map(toDeadLetterView), cursor: page.cursor ?? null } };
}

export async function getHealth(deps: HealthDeps): Promise<AdminResult<HealthView>> {
  const [records, page, outboxBacklog] = await Promise.all([
    deps.records.read(deps.now()),
    deps.deadLetters.list({ limit: DEAD_LETTERS_SHOWN }),
    deps.outbox ? deps.outbox.countPending() : Promise.resolve(null),
  ]);
  const { activity, lastHealthRunAt, config, jobs, pause } = records;
  const paused = pause && Date.parse(pause.until) > deps.now().getTime() ? pause : null;
  let problems: HealthView['problems'] = [];
  let problemsUnavailable: string | null = null;
  if (paused) problemsUnavailable = `Not checked while Jira's hourly quota for this app is used up.`;
  else {
    try {
      problems = (await checkConfigAgainstSite(config, deps.site)).problems;
    } catch (error) {
      problemsUnavailable = `Jira could not be asked: ${describe(error)}`;
    }
  }
  return {
    ok: true,
    data: {
      lastIngestAt: activity.lastIngestAt,
      lastHealthRunAt,
      counts: activity.counts,
      countsIncomplete: activity.incomplete,
      deadLetters: page.letters.map(toDeadLetterView),
      moreDeadLetters: page.cursor !== undefined,
      deadLettersCursor: page.cursor ?? null,
      outboxBacklog: outboxBacklog?.count ?? null,
      outboxBacklogMore: outboxBacklog?.more ?? false,
      jobs,
      problems,
      problemsUnavailable,
      jiraQuotaPause: paused,
      oldStyleIssues: findOldStyleIssues(activity.styles, [
        ...config.mappings,
        ...(config.defaultMapping ? [config.defaultMapping] : []),
      ]),
    },
  };
}
