import { buildIssueEventDeps } from '../composition';
import { handleIssueEvent, type IssueEventOutcome } from '../usecases/handle-issue-event';

/**
 * Product trigger (manifest: `issue-event-trigger`, `avi:jira:updated:issue` and
 * `avi:jira:deleted:issue`, `ignoreSelf: true`). Issues the app does not manage are dismissed with
 * one KVS read and no Jira call; see `handleIssueEvent`. A failure throws, so Forge records it.
 */
export type { IssueEventOutcome };

export async function issueEvents(event: unknown): Promise<IssueEventOutcome> {
  const deps = buildIssueEventDeps();
  const outcome = await handleIssueEvent(event, deps);
  if (!outcome.handled && outcome.reason === 'invalid-event')
    deps.logger.warn('issue event ignored: unexpected shape', { details: outcome.details });
  return outcome;
}
