import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { useMemo, useEffect, useState } from 'react';
import type { BulkJobView, DeadCallbackView } from '../../../../src/contracts/admin-api';
import { callAdmin } from '../api/admin-client';
import { BulkJobStatus } from '../components/bulk-job-status';
import { Pager } from '../components/pager';
import { formatDateTime, type DateTimeSettings } from '../format/date-time';
import { useAdminQuery } from '../hooks/use-admin-query';
import { useBulkJob } from '../hooks/use-bulk-job';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import type { HealthTabProps } from './health-tab';

const EMPTY = {};
const TYPE_LABELS: Record<DeadCallbackView['type'], string> = {
  'finding.issue_linked': 'Issue linked',
  'finding.status_changed': 'Status changed',
  'finding.issue_deleted': 'Issue deleted',
  'finding.comment_added': 'Comment added',
  'finding.comment_updated': 'Comment edited',
  'finding.comment_deleted': 'Comment deleted',
};

export interface CallbackHealthSectionProps {
  dateTime: DateTimeSettings;
  notify: HealthTabProps['notify'];
  onOpenProjects: () => void;
  /** Changes when the Health tab's Refresh is pressed. */
  refreshKey: number;
  /** The latest Replay all job (from health/get), if any. */
  job: BulkJobView | null;
}

async function loadDeadCallbacks(cursor: string): Promise<CursorPage<DeadCallbackView>> {
  const result = await callAdmin('callbacks/list-dead', { cursor });
  if (!result.ok) throw new Error(result.error.message);
  return { items: result.data.deadCallbacks, cursor: result.data.cursor };
}

function describeUnmappedCount(count: number): string {
  return `${count} Jira status${count === 1 ? '' : 'es'} not mapped`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Jira → platform: callbacks the platform never took (with replay) and Jira statuses no rule maps to a finding status.
 */
export function CallbackHealthSection({
  dateTime,
  notify,
  onOpenProjects,
  refreshKey,
  job: initialJob,
}: CallbackHealthSectionProps) {
  const health = useAdminQuery('callbacks/health', EMPTY);
  const [replaying, setReplaying] = useState<string>();
  const { reload } = health;
  const loaded = health.state.status === 'loaded' ? health.state.data : undefined;
  const firstPage = useMemo(
    () => (loaded ? { items: loaded.deadCallbacks, cursor: loaded.deadCallbacksCursor } : undefined),
    [loaded],
  );
  const pages = useCursorPages(firstPage, loadDeadCallbacks);
  const bulk = useBulkJob('replay-dead-callbacks', initialJob, reload);
  useEffect(() => {
    if (refreshKey > 0) reload();
  }, [refreshKey, reload]);

  const replay = async (callback: DeadCallbackView | 'all') => {
    setReplaying(callback === 'all' ? 'all' : callback.id);
    try {
      if (callback === 'all') {
        const result = await callAdmin('callbacks/replay-all', {});
        if (result.ok) bulk.track(result.data);
        if (result.ok)
          notify({
            appearance: 'info',
            title: 'Replaying every dead callback',
            description: 'A background job puts them back in the outbox; its progress is shown here.',
          });
        else
          notify({ appearance: 'error', title: 'Could not replay the callbacks', description: result.error.message });
      } else {
        const result = await callAdmin('callbacks/replay', { id: callback.id });
        if (result.ok)
          notify({
            appearance: 'success',
            title: 'Callback queued again',
            description:
              `${TYPE_LABELS[callback.type]} for ${callback.issueKey} ` +
              'is sent to the platform with a fresh deadline.',
          });
        else notify({ appearance: 'error', title: 'Could not replay the callback', description: result.error.message });
      }
      health.reload();
    } catch (error) {
      notify({ appearance: 'error', title: 'Could not replay', description: describeError(error) });
    } finally {
      setReplaying(undefined);
    }
  };

  const state = health.state;
  return (
    <>
      <div className="fs-tab__title-row">
        <h3 id="dead-callbacks-heading">Callbacks the platform did not receive</h3>
        {state.status === 'loaded' && (pages.items.length > 0 || pages.hasPrevious) ? (
          <Button
            onClick={() => void replay('all')}
            isLoading={replaying === 'all'}
            isDisabled={(replaying !== undefined && replaying !== 'all') || bulk.job?.status === 'running'}
          >
            Replay all
          </Button>
        ) : null}
      </div>
      {bulk.job ? <BulkJobStatus job={bulk.job} noun="callback" dateTime={dateTime} /> : null}
      {state.status === 'loading' ? <Spinner label="Loading callbacks" /> : null}
      {state.status === 'refused' || state.status === 'failed' ? (
        <SectionMessage
          appearance="error"
          title="Callbacks could not be loaded"
          actions={<SectionMessageAction onClick={health.reload}>Try again</SectionMessageAction>}
        >
          <p>{state.status === 'refused' ? state.error.message : state.message}</p>
        </SectionMessage>
      ) : null}
      {state.status === 'loaded' ? (
        <>
          <DynamicTable
            caption="Dead callbacks"
            head={{
              cells: [
                { key: 'callback', content: 'Callback' },
                { key: 'failed', content: 'Given up' },
                { key: 'why', content: 'Last answer' },
                { key: 'action', content: <span className="fs-visually-hidden">Actions</span> },
              ],
            }}
            rows={pages.items.map((callback) => ({
              key: callback.id,
              cells: [
                {
                  key: 'callback',
                  content: (
                    <div>
                      <strong>{TYPE_LABELS[callback.type]}</strong> · {callback.issueKey}
                      {callback.issueCount > 1 ? ` and ${callback.issueCount - 1} more` : ''}
                      <div className="fs-value__secondary">
                        {callback.findingId ? `Finding ${callback.findingId} · ` : ''}
                        {callback.attempts} attempt{callback.attempts === 1 ? '' : 's'}
                      </div>
                    </div>
                  ),
                },
                { key: 'failed', content: formatDateTime(callback.failedAt, dateTime) ?? callback.failedAt },
                {
                  key: 'why',
                  content: (
                    <div>
                      <p>{callback.reason}</p>
                      {callback.lastError && callback.lastError !== callback.reason ? (
                        <div className="fs-value__secondary">{callback.lastError}</div>
                      ) : null}
                    </div>
                  ),
                },
                {
                  key: 'action',
                  content: (
                    <Button
                      onClick={() => void replay(callback)}
                      isLoading={replaying === callback.id}
                      isDisabled={replaying === 'all'}
                      aria-label={`Replay ${TYPE_LABELS[callback.type]} for ${callback.issueKey}`}
                    >
                      Replay
                    </Button>
                  ),
                },
              ],
            }))}
            emptyView={
              <p className="fs-empty">
                No dead callbacks. Every change in Jira reached the platform (or is still being retried).
              </p>
            }
          />
          <Pager pages={pages} label="Dead callbacks" />

          <h3>Jira statuses without a finding status</h3>
          {state.data.unmappedStatuses.length === 0 ? (
            <p className="fs-empty">Every Jira status seen on a linked issue maps to a finding status.</p>
          ) : (
            <SectionMessage
              appearance="warning"
              title={describeUnmappedCount(state.data.unmappedStatuses.length)}
              actions={<SectionMessageAction onClick={onOpenProjects}>Open Projects</SectionMessageAction>}
            >
              <p>
                Nothing is sent to the platform for these until a rule maps them. Add a rule (by status or by
                resolution) under Projects → "Jira → finding status", globally or in the project's mapping.
              </p>
              <ul className="fs-compact-list">
                {state.data.unmappedStatuses.map((status) => (
                  <li key={`${status.projectKey}|${status.statusId}|${status.resolutionName ?? '-'}`}>
                    <strong>{status.projectKey}</strong>: "{status.statusName}" ({status.statusCategoryKey})
                    {status.resolutionName ? `, resolution "${status.resolutionName}"` : ', no resolution'} — e.g.{' '}
                    {status.exampleIssueKey}, last seen{' '}
                    {formatDateTime(status.lastSeenAt, dateTime) ?? status.lastSeenAt} (mapping {status.mappingId})
                  </li>
                ))}
              </ul>
            </SectionMessage>
          )}
        </>
      ) : null}
    </>
  );
}
