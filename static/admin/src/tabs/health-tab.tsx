import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { useCallback, useMemo, useState } from 'react';
import type { DeadLetterView, HealthView } from '../../../../src/contracts/admin-api';
import { callAdmin } from '../api/admin-client';
import { BulkJobStatus } from '../components/bulk-job-status';
import { Pager } from '../components/pager';
import { formatDateTime, formatRelativeTime, formatTimeOfDay, type DateTimeSettings } from '../format/date-time';
import { useAdminQuery } from '../hooks/use-admin-query';
import { useBulkJob } from '../hooks/use-bulk-job';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import { describePath } from '../state/config-errors';
import { CallbackHealthSection } from './callback-health-section';
import { HeldScansSection } from './held-scans-section';
import { OldStyleIssuesSection } from './old-style-issues-section';

const EMPTY = {};
const COUNTERS: Array<[keyof HealthView['counts'], string]> = [
  ['accepted', 'Accepted'],
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['transitioned', 'Transitioned'],
  ['skipped', 'Skipped'],
  ['unrouted', 'Unrouted'],
  ['failed', 'Failed'],
  ['assigneeDropped', 'Created without owner'],
  ['rejected', 'Rejected'],
  ['duplicates', 'Duplicates'],
];

export interface HealthTabProps {
  dateTime: DateTimeSettings;
  now: Date;
  notify: (flag: { appearance: 'success' | 'error' | 'info' | 'warning'; title: string; description?: string }) => void;
  /** Switches to the Projects tab (where Jira → finding status rules are edited). */
  onOpenProjects: () => void;
}

function JiraSaid({ letter }: { letter: DeadLetterView }) {
  const fields = Object.entries(letter.fieldErrors);
  return (
    <div>
      <p>{letter.reason}</p>
      {fields.length > 0 || letter.errorMessages.length > 0 ? (
        <ul className="fs-compact-list">
          {fields.map(([field, message]) => (
            <li key={field}>
              <code>{field}</code>: {message}
            </li>
          ))}
          {letter.errorMessages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

async function loadDeadLetters(cursor: string): Promise<CursorPage<DeadLetterView>> {
  const result = await callAdmin('dead-letters/list', { cursor });
  if (!result.ok) throw new Error(result.error.message);
  return { items: result.data.deadLetters, cursor: result.data.cursor };
}

/** What the sync has been doing, what failed (with Jira's own words) and which settings Jira no longer matches. */
export function HealthTab({ dateTime, now, notify, onOpenProjects }: HealthTabProps) {
  const health = useAdminQuery('health/get', EMPTY);
  const [refreshKey, setRefreshKey] = useState(0);
  const { reload } = health;
  const refresh = useCallback(() => {
    reload();
    setRefreshKey((n) => n + 1);
  }, [reload]);
  const [replaying, setReplaying] = useState<string>();
  const loaded = health.state.status === 'loaded' ? health.state.data : undefined;
  const firstPage = useMemo(
    () => (loaded ? { items: loaded.deadLetters, cursor: loaded.deadLettersCursor } : undefined),
    [loaded],
  );
  const deadLetterPages = useCursorPages(firstPage, loadDeadLetters);
  const lettersJobFromServer = useMemo(
    () => loaded?.jobs.find((job) => job.kind === 'replay-dead-letters') ?? null,
    [loaded],
  );
  const callbacksJob = useMemo(
    () => loaded?.jobs.find((job) => job.kind === 'replay-dead-callbacks') ?? null,
    [loaded],
  );
  const lettersJob = useBulkJob('replay-dead-letters', lettersJobFromServer, reload);

  const replayAll = async () => {
    setReplaying('all');
    try {
      const result = await callAdmin('dead-letters/replay-all', {});
      if (result.ok) {
        lettersJob.track(result.data);
        notify({
          appearance: 'info',
          title: 'Re-syncing every failed finding',
          description: 'A background job queues them again with the current settings; its progress is shown here.',
        });
      } else
        notify({ appearance: 'error', title: 'Could not re-sync the findings', description: result.error.message });
    } catch (error) {
      notify({
        appearance: 'error',
        title: 'Could not re-sync the findings',
        description: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setReplaying(undefined);
    }
  };

  const replay = async (letter: DeadLetterView) => {
    setReplaying(letter.findingKey);
    try {
      const result = await callAdmin('dead-letters/replay', { findingKey: letter.findingKey });
      if (result.ok)
        notify({
          appearance: 'success',
          title: 'Finding queued again',
          description: `"${letter.title}" will be synced with the current settings.`,
        });
      else notify({ appearance: 'error', title: 'Could not replay the finding', description: result.error.message });
      health.reload();
    } catch (error) {
      notify({
        appearance: 'error',
        title: 'Could not replay the finding',
        description: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setReplaying(undefined);
    }
  };

  const state = health.state;
  const when = (at: string | null, empty: string) => {
    if (!at) return empty;
    return `${formatDateTime(at, dateTime) ?? at} (${formatRelativeTime(at, now, dateTime.locale) ?? ''})`;
  };

  return (
    <section aria-labelledby="health-heading" className="fs-tab" aria-busy={state.status === 'loading'}>
      <div className="fs-tab__title-row">
        <h2 id="health-heading">Health</h2>
        <Button onClick={refresh} isDisabled={state.status === 'loading'}>
          Refresh
        </Button>
      </div>
      {state.status === 'loading' ? <Spinner label="Loading health" /> : null}
      {state.status === 'refused' || state.status === 'failed' ? (
        <SectionMessage
          appearance="error"
          title="Health could not be loaded"
          actions={<SectionMessageAction onClick={health.reload}>Try again</SectionMessageAction>}
        >
          <p>{state.status === 'refused' ? state.error.message : state.message}</p>
        </SectionMessage>
      ) : null}
      {state.status === 'loaded' ? (
        <>
          {state.data.jiraQuotaPause ? (
            <SectionMessage appearance="warning" title="Sync paused">
              <p>
                Jira&apos;s hourly quota for this app is used up until{' '}
                {formatTimeOfDay(state.data.jiraQuotaPause.until, dateTime) ?? state.data.jiraQuotaPause.until}.
                Findings received meanwhile are kept and sync after that, exactly once.
              </p>
            </SectionMessage>
          ) : null}
          <dl className="fs-facts">
            <div>
              <dt>Last ingest</dt>
              <dd>{when(state.data.lastIngestAt, 'No findings received yet')}</dd>
            </div>
            <div>
              <dt>Last health check</dt>
              <dd>{when(state.data.lastHealthRunAt, 'Not run yet')}</dd>
            </div>
            <div>
              <dt>Callbacks waiting for the platform</dt>
              <dd>
                {state.data.outboxBacklog === null
                  ? 'Not available in this build'
                  : `${state.data.outboxBacklog}${state.data.outboxBacklogMore ? '+' : ''}`}
              </dd>
            </div>
          </dl>
          <h3>Last 30 days</h3>
          {state.data.countsIncomplete ? (
            <p className="fs-hint">
              The hourly health check is behind: the most recent hours it has not folded in are not counted yet.
            </p>
          ) : null}
          <dl className="fs-counters">
            {COUNTERS.map(([name, label]) => (
              <div
                key={name}
                className={
                  name === 'failed' && state.data.counts.failed > 0 ? 'fs-counter fs-counter--bad' : 'fs-counter'
                }
              >
                <dt>{label}</dt>
                <dd>{state.data.counts[name].toLocaleString(dateTime.locale)}</dd>
              </div>
            ))}
          </dl>
          <OldStyleIssuesSection items={state.data.oldStyleIssues} locale={dateTime.locale} />

          <h3>Settings that no longer match Jira</h3>
          {state.data.problemsUnavailable ? (
            <SectionMessage appearance="warning" title="Jira could not be checked">
              <p>{state.data.problemsUnavailable}</p>
            </SectionMessage>
          ) : state.data.problems.length === 0 ? (
            <p className="fs-empty">
              Every project, issue type, status, priority and field in the settings exists in Jira.
            </p>
          ) : (
            <SectionMessage
              appearance="warning"
              title={`${state.data.problems.length} setting${state.data.problems.length === 1 ? '' : 's'} to review`}
            >
              <ul className="fs-compact-list">
                {state.data.problems.map((problem) => (
                  <li key={problem.path + problem.message}>
                    <Lozenge appearance={problem.severity === 'error' ? 'removed' : 'moved'}>
                      {problem.severity}
                    </Lozenge>{' '}
                    <strong>{describePath(problem.path)}</strong>: {problem.message}
                  </li>
                ))}
              </ul>
            </SectionMessage>
          )}

          <div className="fs-tab__title-row">
            <h3>Findings that failed to sync</h3>
            {deadLetterPages.items.length > 0 || deadLetterPages.hasPrevious ? (
              <Button
                onClick={() => void replayAll()}
                isLoading={replaying === 'all'}
                isDisabled={(replaying !== undefined && replaying !== 'all') || lettersJob.job?.status === 'running'}
              >
                Re-sync all
              </Button>
            ) : null}
          </div>
          {lettersJob.job ? <BulkJobStatus job={lettersJob.job} noun="finding" dateTime={dateTime} /> : null}
          <DynamicTable
            caption="Dead letters"
            head={{
              cells: [
                { key: 'finding', content: 'Finding' },
                { key: 'failed', content: 'Failed' },
                { key: 'jira', content: 'What Jira said' },
                { key: 'action', content: <span className="fs-visually-hidden">Actions</span> },
              ],
            }}
            rows={deadLetterPages.items.map((letter) => ({
              key: letter.findingKey,
              cells: [
                {
                  key: 'finding',
                  content: (
                    <div>
                      <strong>{letter.title}</strong>
                      <div className="fs-value__secondary">
                        {letter.source} / {letter.findingId} · {letter.severity}
                      </div>
                    </div>
                  ),
                },
                {
                  key: 'failed',
                  content: `${formatDateTime(letter.failedAt, dateTime) ?? letter.failedAt} (${letter.stage})`,
                },
                { key: 'jira', content: <JiraSaid letter={letter} /> },
                {
                  key: 'action',
                  content: (
                    <Button
                      onClick={() => void replay(letter)}
                      isLoading={replaying === letter.findingKey}
                      aria-label={`Replay ${letter.title}`}
                    >
                      Replay
                    </Button>
                  ),
                },
              ],
            }))}
            emptyView={
              <p className="fs-empty">No failed findings. Everything received was synced or deliberately skipped.</p>
            }
          />
          <Pager pages={deadLetterPages} label="Failed findings" />
          <HeldScansSection dateTime={dateTime} notify={notify} refreshKey={refreshKey} />
          <CallbackHealthSection
            job={callbacksJob}
            dateTime={dateTime}
            notify={notify}
            onOpenProjects={onOpenProjects}
            refreshKey={refreshKey}
          />
        </>
      ) : null}
    </section>
  );
}
