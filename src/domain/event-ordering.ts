import { z } from 'zod';
import { FindingStatusSchema } from './finding';
import type { EventPosition } from './issue-event';

/**
 * Ordering of Jira issue events. Forge delivers product events at least once and late (minutes),
 * so each linked issue keeps the position of the last event applied; an event at or before it is a
 * duplicate or stale and changes nothing. Jira's changelog ids grow with every change of a site, so
 * they order two changes of one issue exactly; the issue's `updated` time is the fallback (e.g. an
 * event without a changelog). Pure: no I/O, no clock.
 */

export const IssueSyncStateSchema = z.object({
  issueId: z.string(),
  issueKey: z.string(),
  lastChangelogId: z.string().optional(),
  lastUpdated: z.string().optional(),
  statusId: z.string().optional(),
  statusName: z.string().optional(),
  statusCategoryKey: z.string().optional(),
  resolutionName: z.string().nullable().optional(),
  /** The finding status the last applied event mapped to (`unmapped`: reported, no callback). */
  findingStatus: z.union([FindingStatusSchema, z.literal('unmapped')]).optional(),
  /** The last status callback written for this issue; an undelivered older one is superseded. */
  lastStatusCallbackId: z.string().optional(),
  appliedAt: z.string(),
});
export type IssueSyncState = z.output<typeof IssueSyncStateSchema>;

export type EventVerdict = 'apply' | 'duplicate' | 'stale';

/** -1, 0, 1 for numeric ids (any length); `undefined` when either is not a plain integer. */
export function compareChangelogIds(a: string, b: string): -1 | 0 | 1 | undefined {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return a === b ? 0 : undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareTimes(a: string, b: string): -1 | 0 | 1 | undefined {
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether an event is news for the issue's stored state. */
export function judgeIssueEvent(
  position: EventPosition,
  state: Pick<IssueSyncState, 'lastChangelogId' | 'lastUpdated'> | undefined,
): EventVerdict {
  if (!state) return 'apply';
  if (position.changelogId !== undefined && state.lastChangelogId !== undefined) {
    const order = compareChangelogIds(position.changelogId, state.lastChangelogId);
    if (order !== undefined) return order > 0 ? 'apply' : order === 0 ? 'duplicate' : 'stale';
  }
  if (position.updated !== undefined && state.lastUpdated !== undefined) {
    const order = compareTimes(position.updated, state.lastUpdated);
    if (order !== undefined)
      return order > 0
        ? 'apply'
        : order === 0 && position.changelogId === undefined
          ? 'duplicate'
          : order === 0
            ? 'apply'
            : 'stale';
  }
  return 'apply';
}
