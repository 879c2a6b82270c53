import { computeContentHash } from '../domain/finding-state';
import { sha256Hex } from '../domain/hash';
import {
  closeFinding,
  decideScanClose,
  DEFAULT_MAX_CLOSE_SHARE,
  isReported,
  unpackFindingKeys,
  type ClosedByScan,
} from '../domain/scan-scope';
import { chunkWorkItems } from '../domain/work-chunks';
import type { ConfigStore, FindingStateStore, InboxStore, Logger, SyncQueue } from './ports';
import type { ScanStore, ScopeIndexEntry, ScopeIndexStore } from './scan-ports';

/**
 * A complete scan closes the open findings of its scope that it does not report (queued work on
 * `admin-jobs`, after the ingest answered 202):
 *
 *   load the scan → page the scope index (20 keys per KVS query: O(scope), never O(history)) →
 *   the unreported ones, less those whose state settled other content since (moved to another scope:
 *   their entry is removed) → over the share? hold for an admin : one inbox chunk per ≤ 50 of them, each
 *   the finding's last version `resolved` and naming the scan → queue them on `finding-sync` →
 *   remove the scan record
 *
 * The closing itself is an ordinary sync chunk: the sync consumer applies it under the lane's lease,
 * so it cannot race a create, and moves the issue to done with a comment naming the scan.
 *
 * Crash points: before the chunks are written → the event is redelivered and plans again; after some
 * chunks were written or queued → the plan is redone and each chunk's key is derived from the scan and
 * the findings it holds, so the same chunk is rewritten, never a second one for the same findings; a
 * finding closed in between is no longer in the index (or, closed twice, is unchanged the second time:
 * the sync judges a version already settled as a duplicate). After the chunks are queued, the scan
 * record is removed; a crash before that plans once more and finds nothing left to close.
 */

export type ScanCloseDeps = {
  scans: ScanStore;
  states: Pick<FindingStateStore, 'getMany'>;
  index: ScopeIndexStore;
  inbox: InboxStore;
  queue: SyncQueue;
  config: ConfigStore;
  logger: Logger;
  now: () => Date;
};

export type ScanCloseResult =
  | { kind: 'gone' }
  | { kind: 'held'; open: number; missing: number }
  | { kind: 'closing'; open: number; missing: number; chunks: number };

export async function closeMissingFindings(
  input: { scanId: string; force?: boolean },
  deps: ScanCloseDeps,
): Promise<ScanCloseResult> {
  const scan = await deps.scans.get(input.scanId);
  if (!scan) return { kind: 'gone' }; // applied (or discarded) already
  const now = deps.now();
  const present = unpackFindingKeys(scan.present);
  const unreported: ScopeIndexEntry[] = [];
  let open = 0;
  let pages = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.index.page(scan.scopeId, cursor);
    pages += 1;
    open += page.entries.length;
    for (const entry of page.entries) if (!isReported(present, entry.findingKey)) unreported.push(entry);
    cursor = page.cursor;
  } while (cursor);

  // An entry whose finding has since settled with other content (it moved to another scope) is outdated.
  const states = await deps.states.getMany(unreported.map((entry) => entry.findingKey));
  const outdated = unreported.filter((entry) => {
    const settled = states.get(entry.findingKey)?.settled;
    return settled !== undefined && settled.contentHash !== computeContentHash(entry.finding);
  });
  const missing = unreported.filter((entry) => !outdated.includes(entry));
  open -= outdated.length;
  if (outdated.length > 0)
    await deps.index.apply(outdated.map((e) => ({ scopeId: scan.scopeId, findingKey: e.findingKey, open: false })));

  const { config } = await deps.config.load();
  const maxShare = config.completeScans?.maxCloseShare ?? DEFAULT_MAX_CLOSE_SHARE;
  const decision = decideScanClose({ open, missing: missing.length, maxShare });
  const facts = {
    scanId: scan.scanId,
    scope: scan.label,
    reported: scan.reported,
    open,
    missing: missing.length,
    pages,
  };
  if (decision.action === 'hold' && !input.force) {
    await deps.scans.hold({
      scanId: scan.scanId,
      scopeId: scan.scopeId,
      label: scan.label,
      receivedAt: scan.receivedAt,
      heldAt: now.toISOString(),
      reported: scan.reported,
      open,
      missing: missing.length,
    });
    deps.logger.warn('complete scan held', { ...facts, share: Math.round(decision.share * 100), maxShare });
    return { kind: 'held', open, missing: missing.length };
  }

  const closedBy: ClosedByScan = { scanId: scan.scanId, label: scan.label, receivedAt: scan.receivedAt };
  const chunks = chunkWorkItems(
    missing.map((entry) => ({
      lane: entry.lane,
      findingKey: entry.findingKey,
      source: entry.source,
      finding: closeFinding(entry.finding),
      scope: scan.scopeId,
      closedBy,
    })),
  );
  const events: Array<{ chunkKey: string; lane: string; dueAt: string }> = [];
  for (const chunk of chunks) {
    const content = sha256Hex(chunk.items.map((item) => item.findingKey).join('\n')).slice(0, 16);
    const [chunkKey] = await deps.inbox.saveChunks(`close-${scan.scanId}-${content}`, [chunk], now);
    events.push({ chunkKey: chunkKey!, lane: chunk.lane, dueAt: now.toISOString() });
  }
  if (events.length > 0) await deps.queue.publish(events);
  await deps.scans.finish(scan.scanId);
  deps.logger.info('complete scan applied', {
    ...facts,
    chunks: events.length,
    ...(input.force ? { confirmed: true } : {}),
  });
  return { kind: 'closing', open, missing: missing.length, chunks: events.length };
}
