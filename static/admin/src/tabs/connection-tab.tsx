import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { DEFAULT_CALLBACK_PATH, type ConnectionTestResult, type SyncConfig } from '../../../../src/contracts/admin-api';
import { callAdmin } from '../api/admin-client';
import { CopyField } from '../components/copy-field';
import { FormField } from '../components/form-field';
import { SelectField } from '../components/select-field';
import { formatDateTime, formatRelativeTime, type DateTimeSettings } from '../format/date-time';
import { useAdminQuery } from '../hooks/use-admin-query';
import type { FieldErrors } from '../state/config-errors';

const EMPTY = {};
const GRACE_OPTIONS = [
  { label: 'No grace period (old secret stops working now)', value: '0' },
  { label: '1 hour', value: '1' },
  { label: '24 hours', value: '24' },
  { label: '3 days', value: '72' },
  { label: '7 days', value: '168' },
];

export interface ConnectionTabProps {
  draft: SyncConfig;
  savedPlatform: SyncConfig['platform'];
  onChange: (next: SyncConfig) => void;
  errors: FieldErrors;
  dateTime: DateTimeSettings;
  now: Date;
  notify: (flag: { appearance: 'success' | 'error' | 'info' | 'warning'; title: string; description?: string }) => void;
}

function When({
  at,
  dateTime,
  now,
  empty,
}: {
  at: string | null;
  dateTime: DateTimeSettings;
  now: Date;
  empty: string;
}) {
  if (at === null) return <p className="fs-empty">{empty}</p>;
  const absolute = formatDateTime(at, dateTime);
  if (!absolute) return <p className="fs-empty">Unreadable time ({at}).</p>;
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

/** Where findings come in (URL + shared secret), where callbacks go, and a signed test ping. */
export function ConnectionTab({ draft, savedPlatform, onChange, errors, dateTime, now, notify }: ConnectionTabProps) {
  const connection = useAdminQuery('connection/get', EMPTY);
  const [grace, setGrace] = useState('24');
  const [rotating, setRotating] = useState(false);
  const [newSecret, setNewSecret] = useState<{ secret: string; previousExpiresAt: string | null }>();
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<{ result?: ConnectionTestResult; error?: string }>();

  const platform = draft.platform ?? { path: DEFAULT_CALLBACK_PATH, enabled: true, deadlineSeconds: 24 * 3600 };
  const setPlatform = (patch: Partial<NonNullable<SyncConfig['platform']>>) =>
    onChange({ ...draft, platform: { ...platform, ...patch } });
  const platformDirty = JSON.stringify(draft.platform ?? null) !== JSON.stringify(savedPlatform ?? null);

  const rotate = async (exists: boolean) => {
    setRotating(true);
    try {
      const result = await callAdmin('connection/rotate-secret', { graceHours: exists ? Number(grace) : 0 });
      if (!result.ok) {
        notify({ appearance: 'error', title: 'The secret was not changed', description: result.error.message });
        return;
      }
      setNewSecret({ secret: result.data.secret, previousExpiresAt: result.data.previousExpiresAt });
      notify({
        appearance: 'success',
        title: exists ? 'Shared secret rotated' : 'Shared secret generated',
        description: 'Copy it now: it is shown only once.',
      });
      connection.reload();
    } catch (error) {
      notify({
        appearance: 'error',
        title: 'The secret was not changed',
        description: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setRotating(false);
    }
  };

  const runTest = async () => {
    setTesting(true);
    setTest(undefined);
    try {
      const result = await callAdmin('connection/test', {});
      setTest(result.ok ? { result: result.data } : { error: result.error.message });
    } catch (error) {
      setTest({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      setTesting(false);
    }
  };

  const state = connection.state;
  return (
    <section aria-labelledby="connection-heading" className="fs-tab">
      <h2 id="connection-heading">Connection</h2>
      <p className="fs-tab__description">
        Your security platform sends findings to this app over HTTPS, signed with the shared secret.
      </p>
      {state.status === 'loading' ? <Spinner label="Loading the connection" /> : null}
      {state.status === 'refused' || state.status === 'failed' ? (
        <SectionMessage
          appearance="error"
          title="The connection details could not be loaded"
          actions={<SectionMessageAction onClick={connection.reload}>Try again</SectionMessageAction>}
        >
          <p>{state.status === 'refused' ? state.error.message : state.message}</p>
        </SectionMessage>
      ) : null}
      {state.status === 'loaded' ? (
        <>
          <CopyField
            id="ingest-url"
            label="Ingest web trigger URL"
            value={state.data.webTriggerUrl}
            description={
              'Configure this URL as the webhook target in your security platform. ' +
              'Anyone with the URL can reach it; requests are only accepted with a valid signature.'
            }
            copyLabel="Copy URL"
          />

          <h3>Shared secret</h3>
          {state.data.secret.exists ? (
            <p className="fs-value">
              Created <When at={state.data.secret.createdAt} dateTime={dateTime} now={now} empty="—" />
              {state.data.secret.previousExpiresAt ? (
                <span className="fs-value__secondary">
                  The previous secret is still accepted until{' '}
                  {formatDateTime(state.data.secret.previousExpiresAt, dateTime)}.
                </span>
              ) : null}
            </p>
          ) : (
            <SectionMessage appearance="warning" title="No shared secret yet">
              <p>
                The app refuses every finding until a secret exists. Generate one and enter it in your security
                platform.
              </p>
            </SectionMessage>
          )}
          {newSecret ? (
            <SectionMessage appearance="success" title="Copy the new secret now: it will not be shown again">
              <CopyField
                id="new-secret"
                label="New shared secret"
                value={newSecret.secret}
                copyLabel="Copy secret"
                description="Store it in your security platform's webhook settings."
              />
              {newSecret.previousExpiresAt ? (
                <p>The previous secret keeps working until {formatDateTime(newSecret.previousExpiresAt, dateTime)}.</p>
              ) : null}
            </SectionMessage>
          ) : null}
          <div className="fs-inline-form">
            {state.data.secret.exists ? (
              <SelectField
                id="rotation-grace"
                label="Keep accepting the old secret for"
                options={GRACE_OPTIONS}
                value={grace}
                onChange={(value) => setGrace(value ?? '24')}
              />
            ) : null}
            <Button
              appearance={state.data.secret.exists ? 'default' : 'primary'}
              isLoading={rotating}
              onClick={() => void rotate(state.data.secret.exists)}
            >
              {state.data.secret.exists ? 'Rotate secret' : 'Generate shared secret'}
            </Button>
          </div>

          <h3>Platform callbacks</h3>
          <p className="fs-tab__description">
            When a linked issue changes status or is deleted, the app sends a signed callback to your platform.
          </p>
          <div className="fs-grid">
            <FormField
              id="platform-base-url"
              label="Platform base URL"
              helper="Its origin must be allowed in the app's manifest (PLATFORM_ORIGIN)."
              error={errors['platform.baseUrl']}
            >
              {({ isInvalid, ...aria }) => (
                <Textfield
                  {...aria}
                  isInvalid={isInvalid}
                  placeholder="https://api.platform.example"
                  value={platform.baseUrl ?? ''}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    setPlatform({ baseUrl: value.trim() === '' ? undefined : value });
                  }}
                />
              )}
            </FormField>
            <FormField id="platform-path" label="Callback path" error={errors['platform.path']}>
              {({ isInvalid, ...aria }) => (
                <Textfield
                  {...aria}
                  isInvalid={isInvalid}
                  value={platform.path}
                  onChange={(event) => setPlatform({ path: event.currentTarget.value })}
                />
              )}
            </FormField>
          </div>
          <Checkbox
            id="platform-enabled"
            label="Send callbacks to the platform"
            isChecked={platform.enabled}
            onChange={(event) => setPlatform({ enabled: event.target.checked })}
          />
          <div className="fs-inline-form">
            <Button onClick={() => void runTest()} isLoading={testing} isDisabled={platformDirty}>
              Test connection
            </Button>
            {platformDirty ? (
              <span className="fs-hint">Save your changes first: the test uses the saved URL.</span>
            ) : null}
          </div>
          {test?.error ? (
            <SectionMessage appearance="error" title="The test could not run">
              <p>{test.error}</p>
            </SectionMessage>
          ) : null}
          {test?.result ? (
            <SectionMessage
              appearance={test.result.status !== null && test.result.status < 300 ? 'success' : 'error'}
              title={
                test.result.status !== null && test.result.status < 300
                  ? 'The platform answered the signed ping'
                  : 'The platform did not accept the ping'
              }
            >
              <p>
                <code>POST {test.result.url}</code> → {test.result.status ?? 'no answer'} in {test.result.latencyMs} ms
              </p>
              <p>{test.result.message}</p>
            </SectionMessage>
          ) : null}

          <h3>Last health check</h3>
          <When
            at={state.data.lastHealthRunAt}
            dateTime={dateTime}
            now={now}
            empty="No health check has run yet. It runs every hour once the app is installed."
          />
        </>
      ) : null}
    </section>
  );
}
