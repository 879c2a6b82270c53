import { InvocationError } from '@forge/events';
import { buildCommentEventDeps } from '../composition';
import { handleCommentEvent, type CommentEventOutcome } from '../usecases/handle-comment-event';
import { retryLater, retryingTransient } from './retry-later';

/**
 * Product trigger (manifest: `comment-event-trigger`, `avi:jira:commented:issue` and
 * `avi:jira:deleted:comment`, `ignoreSelf: true`). Comments on issues the app does not manage cost
 * one KVS read; see `handleCommentEvent`. A busy issue or a throttled dependency answers
 * `InvocationError` (Forge delivers the event again; handling is idempotent); a failure throws.
 */
export type { CommentEventOutcome };

export async function commentEvents(event: unknown): Promise<CommentEventOutcome | InvocationError> {
  const deps = buildCommentEventDeps();
  const outcome = await retryingTransient(() => handleCommentEvent(event, deps));
  if (outcome instanceof InvocationError) return outcome;
  // Another event of the same issue is being applied: Forge delivers this one again later.
  if (!outcome.handled && outcome.reason === 'issue-busy') return retryLater(outcome.retryAfterSeconds);
  if (!outcome.handled && outcome.reason === 'invalid-event')
    deps.logger.warn('comment event ignored: unexpected shape', { details: outcome.details });
  if (!outcome.handled && outcome.reason === 'restricted')
    deps.logger.info('restricted jira comment not sent to the platform', {});
  return outcome;
}
