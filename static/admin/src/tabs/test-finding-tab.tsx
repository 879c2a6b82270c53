import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import { useEffect, useState } from 'react';
import {
  SEVERITIES,
  type Severity,
  type SyncConfig,
  type TestFindingStatus,
} from '../../../../src/contracts/admin-api';
import { callAdmin } from '../api/admin-client';
import { FormField } from '../components/form-field';
import { SelectField } from '../components/select-field';
import { toFieldErrors, type FieldErrors } from '../state/config-errors';
import { SEVERITY_LABELS } from '../state/labels';

const POLL_MS = 1000;
const POLL_LIMIT = 90;

export interface TestFindingTabProps {
  savedConfig: SyncConfig;
  siteUrl: string | undefined;
}

type Run =
  | { phase: 'sending' }
  | { phase: 'refused'; message: string }
  | {
      phase: 'waiting';
      findingId: string;
      findingKey: string;
      mappingId: string | null;
      polls: number;
      status?: TestFindingStatus;
    }
  | { phase: 'done'; findingId: string; mappingId: string | null; status: TestFindingStatus }
  | { phase: 'timeout'; findingId: string };

function suggestAsset(config: SyncConfig): { id: string; name: string } {
  const first = config.mappings[0];
  const id = first?.match.assetIds?.[0] ?? 'demo-asset';
  const pattern = first?.match.assetNamePattern;
  return { id, name: pattern ? pattern.replace(/\*/g, 'test').replace(/\?/g, 'x') : 'demo-asset' };
}

/** Posts a sample finding through the real ingest path and follows it until Jira has an issue. */
export function TestFindingTab({ savedConfig, siteUrl }: TestFindingTabProps) {
  const suggestion = suggestAsset(savedConfig);
  const [severity, setSeverity] = useState<Severity>('high');
  const [assetId, setAssetId] = useState(suggestion.id);
  const [assetName, setAssetName] = useState(suggestion.name);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [run, setRun] = useState<Run>();

  useEffect(() => {
    if (run?.phase !== 'waiting') return;
    const timer = setTimeout(() => {
      void callAdmin('test-finding/status', { findingKey: run.findingKey }).then(
        (result) => {
          if (!result.ok) return setRun({ phase: 'refused', message: result.error.message });
          if (result.data.state !== 'pending')
            return setRun({ phase: 'done', findingId: run.findingId, mappingId: run.mappingId, status: result.data });
          if (run.polls + 1 >= POLL_LIMIT) return setRun({ phase: 'timeout', findingId: run.findingId });
          setRun({ ...run, polls: run.polls + 1, status: result.data });
        },
        (error: unknown) =>
          setRun({ phase: 'refused', message: error instanceof Error ? error.message : String(error) }),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [run]);

  const send = async () => {
    setRun({ phase: 'sending' });
    setErrors({});
    try {
      const result = await callAdmin('test-finding/send', {
        severity,
        assetId,
        ...(assetName.trim() ? { assetName } : {}),
      });
      if (!result.ok) {
        if (Array.isArray(result.error.details))
          setErrors(toFieldErrors(result.error.details as Array<{ path: string; message: string }>));
        setRun({ phase: 'refused', message: result.error.message });
        return;
      }
      setRun({
        phase: 'waiting',
        findingId: result.data.findingId,
        findingKey: result.data.findingKey,
        mappingId: result.data.mappingId,
        polls: 0,
      });
    } catch (error) {
      setRun({ phase: 'refused', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const busy = run?.phase === 'sending' || run?.phase === 'waiting';
  return (
    <section aria-labelledby="test-heading" className="fs-tab">
      <h2 id="test-heading">Send test finding</h2>
      <p className="fs-tab__description">
        Sends a sample finding, signed with the shared secret, through the same ingest path your platform uses, with the
        saved settings.
      </p>
      <div className="fs-grid">
        <SelectField
          id="test-severity"
          label="Severity"
          options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
          value={severity}
          onChange={(value) => value && setSeverity(value as Severity)}
        />
        <FormField id="test-asset-id" label="Asset id" error={errors['assetId']}>
          {({ isInvalid, ...aria }) => (
            <Textfield
              {...aria}
              isInvalid={isInvalid}
              value={assetId}
              onChange={(event) => setAssetId(event.currentTarget.value)}
            />
          )}
        </FormField>
        <FormField
          id="test-asset-name"
          label="Asset name"
          helper="Project mappings match on the asset id or name."
          error={errors['assetName']}
        >
          {({ isInvalid, ...aria }) => (
            <Textfield
              {...aria}
              isInvalid={isInvalid}
              value={assetName}
              onChange={(event) => setAssetName(event.currentTarget.value)}
            />
          )}
        </FormField>
      </div>
      <Button appearance="primary" onClick={() => void send()} isLoading={busy}>
        Send test finding
      </Button>

      <div aria-live="polite" className="fs-test-result">
        {run?.phase === 'waiting' ? (
          <p className="fs-hint">
            <Spinner size="small" label="Waiting" /> Finding {run.findingId} accepted
            {run.mappingId ? ` (mapping "${run.mappingId}")` : ' (no mapping matches: it will stay unrouted)'}; waiting
            for the sync…
          </p>
        ) : null}
        {run?.phase === 'refused' ? (
          <SectionMessage appearance="error" title="The test finding was not sent">
            <p>{run.message}</p>
          </SectionMessage>
        ) : null}
        {run?.phase === 'timeout' ? (
          <SectionMessage appearance="warning" title="No issue yet">
            <p>
              Finding {run.findingId} was accepted but not synced within {POLL_LIMIT} seconds. Check Health for
              failures.
            </p>
          </SectionMessage>
        ) : null}
        {run?.phase === 'done' && run.status.state === 'linked' && run.status.issueKey ? (
          <SectionMessage appearance="success" title={`Created ${run.status.issueKey}`}>
            <p>
              {siteUrl ? (
                <a
                  href={`${siteUrl}/browse/${encodeURIComponent(run.status.issueKey)}`}
                  target="_blank"
                  rel="noreferrer"
                >
                  Open {run.status.issueKey} in Jira
                </a>
              ) : (
                run.status.issueKey
              )}
            </p>
          </SectionMessage>
        ) : null}
        {run?.phase === 'done' && run.status.state !== 'linked' ? (
          <SectionMessage
            appearance={run.status.state === 'dead' ? 'error' : 'warning'}
            title={run.status.state === 'dead' ? 'Jira refused the issue' : `The finding was ${run.status.state}`}
          >
            <p>{run.status.reason ?? 'See Health for details.'}</p>
          </SectionMessage>
        ) : null}
      </div>
    </section>
  );
}
