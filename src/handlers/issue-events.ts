import { InvocationError, InvocationErrorCode } from '@forge/events';
import { buildIssueEventDeps } from '../composition';
import { TransientError } from '../usecases/errors';
import { handleIssueEvent, type IssueEventOutcome } from '../usecases/handle-issue-event';

/**
 * Product trigger (manifest: `issue-event-trigger`, `avi:jira:updated:issue` and
 * `avi:jira:deleted:issue`, `ignoreSelf: true`). Issues the app does not manage are dismissed with
 * one KVS read and no Jira call; see `handleIssueEvent`. An issue busy with another event answers
 * `InvocationError` (Forge retries it); a failure throws, so Forge records it.
 */
export type { IssueEventOutcome };

export async function issueEvents(event: unknown): Promise<IssueEventOutcome | InvocationError> {
  const deps = buildIssueEventDeps();
  let outcome: IssueEventOutcome;
  try {
    outcome = await handleIssueEvent(event, deps);
  } catch (error) {
    // Throttled (Jira, KVS or the callback queue): Forge delivers the event again; it is idempotent.
    if (error instanceof TransientError)
      return new InvocationError({
        retryAfter: Math.min(900, Math.max(1, Math.ceil(error.retryAfterMs / 1000))),
        retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
      });
    throw error;
  }
  // Another event of the same issue is being applied: Forge delivers this one again later.
  if (!outcome.handled && outcome.reason === 'issue-busy')
    return new InvocationError({
      retryAfter: outcome.retryAfterSeconds,
      retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
    });
  if (!outcome.handled && outcome.reason === 'invalid-event')
    deps.logger.warn('issue event ignored: unexpected shape', { details: outcome.details });
  return outcome;
}
