import type { AppStatus } from '../../../../src/contracts/admin-api';
import { formatDateTime, formatRelativeTime, type DateTimeSettings } from '../format/date-time';
import { CopyField } from './copy-field';
import { Panel } from './panel';

export interface ConnectionPanelProps {
  status: AppStatus;
  dateTime: DateTimeSettings;
  now: Date;
}

function LastHealthRun({ at, dateTime, now }: { at: string | null; dateTime: DateTimeSettings; now: Date }) {
  if (at === null) {
    return <p className="fs-empty">No health check has run yet. It runs every hour once the app is installed.</p>;
  }
  const absolute = formatDateTime(at, dateTime);
  if (!absolute) return <p className="fs-empty">The last health check time could not be read ({at}).</p>;
  const relative = formatRelativeTime(at, now, dateTime.locale);
  return (
    <p className="fs-value">
      <time dateTime={at} title={absolute}>
        {absolute}
      </time>
      {relative ? <span className="fs-value__secondary"> ({relative})</span> : null}
    </p>
  );
}

/** Where the security platform sends findings, and whether the app's scheduled checks run. */
export function ConnectionPanel({ status, dateTime, now }: ConnectionPanelProps) {
  return (
    <Panel id="connection" title="Connection" description="Your security platform sends findings to this app over HTTPS, signed with the shared secret.">
      <CopyField
        id="ingest-url"
        label="Ingest web trigger URL"
        value={status.webTriggerUrl}
        description="Configure this URL as the webhook target in your security platform. Anyone with the URL can reach it; requests are only accepted with a valid signature."
        copyLabel="Copy URL"
      />
      <div className="fs-field">
        <h3 className="fs-field__label">Last health check</h3>
        <LastHealthRun at={status.lastHealthRunAt} dateTime={dateTime} now={now} />
      </div>
    </Panel>
  );
}
