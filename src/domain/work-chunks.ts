import type { Finding } from './finding';
import type { ClosedByScan } from './scan-scope';

/**
 * Splits accepted findings into units of work: one chunk holds findings of one lane (routing
 * target) only, at most `maxFindings` of them (Jira's bulk create takes 50) and at most `maxBytes`
 * of JSON (a KVS value is ≤ 240 KiB). One chunk = one KVS value = one queue event = at most one
 * bulk create, which keeps KVS and queue usage per finding far below one operation.
 *
 * Within a lane, items carrying a `groupId` (their mapping groups findings, config `grouping`) come
 * together, in the order each group first appears, ahead of ungrouped ones: a group issue is edited
 * at most once per chunk, so a batch whose findings interleave 200 rules costs one edit per group
 * per batch rather than one per finding.
 */

/** `scope`: the finding's scan scope id (`scan-scope.ts`); `closedBy`: a complete scan closes it (not a post). */
export type WorkItem = {
  findingKey: string;
  source: string;
  finding: Finding;
  scope?: string;
  closedBy?: ClosedByScan;
};
export type WorkChunk = { lane: string; items: WorkItem[]; bytes: number };

export const CHUNK_LIMITS = { maxFindings: 50, maxBytes: 200_000 } as const;

export function chunkWorkItems(
  items: ReadonlyArray<WorkItem & { lane: string; groupId?: string }>,
  limits: { maxFindings: number; maxBytes: number } = CHUNK_LIMITS,
): WorkChunk[] {
  // lane → group (or '' for ungrouped) → items, in first-seen order
  const byLane = new Map<string, Map<string, WorkItem[]>>();
  for (const { lane, groupId, ...item } of items) {
    let groups = byLane.get(lane);
    if (!groups) byLane.set(lane, (groups = new Map([['', []]])));
    const group = groupId ?? '';
    const list = groups.get(group);
    if (list) list.push(item);
    else groups.set(group, [item]);
  }
  const chunks: WorkChunk[] = [];
  for (const [lane, groups] of byLane) {
    const laneItems = [...groups].flatMap(([group, list]) => (group === '' ? [] : list));
    laneItems.push(...groups.get('')!);
    let current: WorkChunk | undefined;
    for (const item of laneItems) {
      const size = Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
      if (
        !current ||
        current.items.length >= limits.maxFindings ||
        (current.items.length > 0 && current.bytes + size > limits.maxBytes)
      ) {
        current = { lane, items: [], bytes: 2 };
        chunks.push(current);
      }
      current.items.push(item);
      current.bytes += size;
    }
  }
  return chunks;
}
