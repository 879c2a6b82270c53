import { InvocationError } from '@forge/events';
import { buildIssueEventDeps } from '../composition';
import { handleIssueEvent, type IssueEventOutcome } from '../usecases/handle-issue-event';
import { retryLater, retryingTransient } from './retry-later';

/**
 * Product trigger (manifest: `issue-event-trigger`, `avi:jira:updated:issue` and
 * `avi:jira:deleted:issue`, `ignoreSelf: true`). Issues the app does not manage are dismissed with
 * one KVS read and no Jira call; see `handleIssueEvent`. An issue busy with another event answers
 * `InvocationError` (Forge retries it); a failure throws, so Forge records it.
 */
export type { IssueEventOutcome };

export async function issueEvents(event: unknown): Promise<IssueEventOutcome | InvocationError> {
  const deps = buildIssueEventDeps();
  const outcome = await retryingTransient(() => handleIssueEvent(event, deps));
  if (outcome instanceof InvocationError) return outcome;
  // Another event of the same issue is being applied: Forge delivers this one again later.
  if (!outcome.handled && outcome.reason === 'issue-busy') return retryLater(outcome.retryAfterSeconds);
  if (!outcome.handled && outcome.reason === 'invalid-event')
    deps.logger.warn('issue event ignored: unexpected shape', { details: outcome.details });
  return outcome;
}
