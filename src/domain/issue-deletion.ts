import { z } from 'zod';
import type { FindingState, IssueDeletedState } from './finding-state';

/**
 * A Jira issue linked to a finding was deleted. The Jira → platform flow records this in its own
 * KVS record (never in the finding's sync state, which the sync consumer owns and may be writing
 * at the same moment); the sync applies it when it next reads the finding. Pure.
 */

export const IssueDeletionSchema = z.object({
  findingKey: z.string(),
  issueId: z.string(),
  issueKey: z.string(),
  deletedAt: z.string(),
  reason: z.string(),
});
export type IssueDeletion = z.output<typeof IssueDeletionSchema>;

/**
 * The finding state with the deletion applied: only when the state still links the deleted issue
 * (a state linked to a newer issue, or already past the link, is left as it is).
 */
export function applyIssueDeletion(state: FindingState, deletion: IssueDeletion | undefined): FindingState {
  if (!deletion || state.outcome !== 'linked' || state.issueId !== deletion.issueId) return state;
  const deleted: IssueDeletedState = {
    findingKey: state.findingKey,
    findingId: state.findingId,
    source: state.source,
    lane: state.lane,
    ...(state.updatedAt !== undefined ? { updatedAt: state.updatedAt } : {}),
    syncedAt: state.syncedAt,
    outcome: 'issue-deleted',
    issueId: state.issueId,
    issueKey: state.issueKey,
    ...(state.projectKey !== undefined ? { projectKey: state.projectKey } : {}),
    reason: deletion.reason,
    // Settled as the link was: a re-post of the same content stays a duplicate.
    ...(state.settled ? { settled: state.settled } : {}),
  };
  return deleted;
}
