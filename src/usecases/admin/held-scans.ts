import type { AdminResult, HeldScanView } from '../../contracts/admin-api';
import type { Logger } from '../ports';
import type { HeldScan, ScanQueue, ScanStore } from '../scan-ports';

/**
 * The Health tab's held complete scans: a scan that would close more than the configured share of its
 * scope's open findings waits here. Apply queues its closing with `force` (the job pages the scope
 * index again: what it closes is what is open then); Discard forgets the scan, closing nothing.
 */

export type HeldScanDeps = {
  accountId: string;
  scans: ScanStore;
  scanQueue: ScanQueue;
  logger: Logger;
  now: () => Date;
};

function toView(scan: HeldScan): HeldScanView {
  return {
    scanId: scan.scanId,
    scope: scan.label,
    receivedAt: scan.receivedAt,
    heldAt: scan.heldAt,
    reported: scan.reported,
    open: scan.open,
    missing: scan.missing,
    confirmedAt: scan.confirmedAt ?? null,
  };
}

const GONE: AdminResult<never> = {
  ok: false,
  error: {
    code: 'NOT_FOUND',
    message: 'This scan is no longer held: it was applied or discarded since the page loaded.',
  },
};

export async function listHeldScans(
  input: { cursor?: string },
  deps: Pick<HeldScanDeps, 'scans'>,
): Promise<AdminResult<{ scans: HeldScanView[]; cursor: string | null }>> {
  const page = await deps.scans.listHeld(input.cursor);
  return { ok: true, data: { scans: page.scans.map(toView), cursor: page.cursor ?? null } };
}

export async function applyHeldScan(
  input: { scanId: string },
  deps: HeldScanDeps,
): Promise<AdminResult<{ queued: true }>> {
  const held = await deps.scans.getHeld(input.scanId);
  if (!held || !(await deps.scans.get(input.scanId))) return GONE;
  // Confirmed first: a crash before the queue push leaves a confirmed hold the admin can apply again.
  await deps.scans.hold({ ...held, confirmedAt: deps.now().toISOString(), confirmedBy: deps.accountId });
  await deps.scanQueue.publish([input.scanId], { force: true });
  deps.logger.info('held scan applied', { scanId: input.scanId, missing: held.missing, by: deps.accountId });
  return { ok: true, data: { queued: true } };
}

export async function discardHeldScan(
  input: { scanId: string },
  deps: HeldScanDeps,
): Promise<AdminResult<{ discarded: true }>> {
  const held = await deps.scans.getHeld(input.scanId);
  if (!held) return GONE;
  await deps.scans.finish(input.scanId);
  deps.logger.info('held scan discarded', { scanId: input.scanId, missing: held.missing, by: deps.accountId });
  return { ok: true, data: { discarded: true } };
}
