import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { useEffect, useMemo, useState } from 'react';
import type { HeldScanView } from '../../../../src/contracts/admin-api';
import { callAdmin } from '../api/admin-client';
import { Pager } from '../components/pager';
import { formatDateTime, type DateTimeSettings } from '../format/date-time';
import { useAdminQuery } from '../hooks/use-admin-query';
import { useCursorPages, type CursorPage } from '../hooks/use-cursor-pages';
import type { HealthTabProps } from './health-tab';

const FIRST_PAGE = {};

async function loadHeldScans(cursor: string): Promise<CursorPage<HeldScanView>> {
  const result = await callAdmin('scans/held', { cursor });
  if (!result.ok) throw new Error(result.error.message);
  return { items: result.data.scans, cursor: result.data.cursor };
}

function share(scan: HeldScanView): string {
  return scan.open === 0 ? '' : ` (${Math.round((scan.missing / scan.open) * 100)} %)`;
}

export interface HeldScansSectionProps {
  dateTime: DateTimeSettings;
  notify: HealthTabProps['notify'];
  /** Changes when the Health tab's Refresh is pressed. */
  refreshKey: number;
}

/** Complete scans that would close too many findings at once wait here for an admin: Apply or Discard. */
export function HeldScansSection({ dateTime, notify, refreshKey }: HeldScansSectionProps) {
  const held = useAdminQuery('scans/held', FIRST_PAGE);
  const { reload } = held;
  const [acting, setActing] = useState<string>();
  const loaded = held.state.status === 'loaded' ? held.state.data : undefined;
  const firstPage = useMemo(() => (loaded ? { items: loaded.scans, cursor: loaded.cursor } : undefined), [loaded]);
  const pages = useCursorPages(firstPage, loadHeldScans);
  useEffect(() => {
    if (refreshKey > 0) reload();
  }, [refreshKey, reload]);

  const act = async (scan: HeldScanView, action: 'apply' | 'discard') => {
    setActing(`${action}:${scan.scanId}`);
    try {
      const result =
        action === 'apply'
          ? await callAdmin('scans/apply', { scanId: scan.scanId })
          : await callAdmin('scans/discard', { scanId: scan.scanId });
      if (result.ok)
        notify(
          action === 'apply'
            ? {
                appearance: 'success',
                title: 'Closing queued',
                description: `The findings of ${scan.scope} that the scan no longer reports are being closed.`,
              }
            : { appearance: 'info', title: 'Scan discarded', description: `Nothing of ${scan.scope} was closed.` },
        );
      else notify({ appearance: 'error', title: `Could not ${action} the scan`, description: result.error.message });
      reload();
    } catch (error) {
      notify({
        appearance: 'error',
        title: `Could not ${action} the scan`,
        description: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setActing(undefined);
    }
  };

  const state = held.state;
  return (
    <>
      <h3 id="held-scans-heading">Complete scans held for confirmation</h3>
      {state.status === 'loading' ? <Spinner label="Loading held scans" /> : null}
      {state.status === 'refused' || state.status === 'failed' ? (
        <SectionMessage
          appearance="error"
          title="Held scans could not be loaded"
          actions={<SectionMessageAction onClick={reload}>Try again</SectionMessageAction>}
        >
          <p>{state.status === 'refused' ? state.error.message : state.message}</p>
        </SectionMessage>
      ) : null}
      {state.status === 'loaded' ? (
        <>
          <DynamicTable
            caption="Held complete scans"
            head={{
              cells: [
                { key: 'scope', content: 'Scope' },
                { key: 'received', content: 'Received' },
                { key: 'closes', content: 'Would close' },
                { key: 'action', content: <span className="fs-visually-hidden">Actions</span> },
              ],
            }}
            rows={pages.items.map((scan) => ({
              key: scan.scanId,
              cells: [
                {
                  key: 'scope',
                  content: (
                    <div>
                      <strong>{scan.scope}</strong>
                      <div className="fs-value__secondary">Scan {scan.scanId}</div>
                    </div>
                  ),
                },
                { key: 'received', content: formatDateTime(scan.receivedAt, dateTime) ?? scan.receivedAt },
                {
                  key: 'closes',
                  content: (
                    <div>
                      {scan.missing} of {scan.open} open findings{share(scan)}
                      <div className="fs-value__secondary">The scan reported {scan.reported}</div>
                    </div>
                  ),
                },
                {
                  key: 'action',
                  content: scan.confirmedAt ? (
                    <span>Closing queued</span>
                  ) : (
                    <div className="fs-button-row">
                      <Button
                        appearance="warning"
                        onClick={() => void act(scan, 'apply')}
                        isLoading={acting === `apply:${scan.scanId}`}
                        isDisabled={acting !== undefined}
                        aria-label={`Apply the scan of ${scan.scope}`}
                      >
                        Apply
                      </Button>
                      <Button
                        onClick={() => void act(scan, 'discard')}
                        isLoading={acting === `discard:${scan.scanId}`}
                        isDisabled={acting !== undefined}
                        aria-label={`Discard the scan of ${scan.scope}`}
                      >
                        Discard
                      </Button>
                    </div>
                  ),
                },
              ],
            }))}
            emptyView={
              <p className="fs-empty">
                No complete scan is waiting. A scan that would close more than the configured share of its scope's open
                findings (50 % by default) waits here instead of closing them.
              </p>
            }
          />
          <Pager pages={pages} label="Held complete scans" />
        </>
      ) : null}
    </>
  );
}
