import Lozenge from '@atlaskit/lozenge';
import type { BulkJobView } from '../../../../src/contracts/admin-api';
import { formatDateTime, type DateTimeSettings } from '../format/date-time';

/** One line about a bulk job: running with how many are done so far, or how it ended. */
export function BulkJobStatus({ job, noun, dateTime }: { job: BulkJobView; noun: string; dateTime: DateTimeSettings }) {
  const count = `${job.processed.toLocaleString(dateTime.locale)} ${noun}${job.processed === 1 ? '' : 's'}`;
  if (job.status === 'queued' || job.status === 'running')
    return (
      <p className="fs-hint" role="status">
        <Lozenge appearance="inprogress">Replay all running</Lozenge> {count} replayed so far — the list updates when it
        is done.
      </p>
    );
  return (
    <p className="fs-hint" role="status">
      <Lozenge appearance={job.status === 'done' ? 'success' : 'removed'}>
        {job.status === 'done' ? 'Replay all done' : 'Replay all failed'}
      </Lozenge>{' '}
      {count} replayed{job.failed > 0 ? `, ${job.failed} could not be` : ''}
      {job.finishedAt ? ` (${formatDateTime(job.finishedAt, dateTime) ?? job.finishedAt})` : ''}
      {job.message ? ` — ${job.message}` : ''}
    </p>
  );
}
