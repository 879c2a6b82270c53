import { InvocationError, InvocationErrorCode } from '@forge/events';
import { buildCommentEventDeps } from '../composition';
import { TransientError } from '../usecases/errors';
import { handleCommentEvent, type CommentEventOutcome } from '../usecases/handle-comment-event';

/**
 * Product trigger (manifest: `comment-event-trigger`, `avi:jira:commented:issue` and
 * `avi:jira:deleted:comment`, `ignoreSelf: true`). Comments on issues the app does not manage cost
 * one KVS read; see `handleCommentEvent`. A busy issue or a throttled dependency answers
 * `InvocationError` (Forge delivers the event again; handling is idempotent); a failure throws.
 */
export type { CommentEventOutcome };

export async function commentEvents(event: unknown): Promise<CommentEventOutcome | InvocationError> {
  const deps = buildCommentEventDeps();
  let outcome: CommentEventOutcome;
  try {
    outcome = await handleCommentEvent(event, deps);
  } catch (error) {
    if (error instanceof TransientError)
      return new InvocationError({
        retryAfter: Math.min(900, Math.max(1, Math.ceil(error.retryAfterMs / 1000))),
        retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
      });
    throw error;
  }
  if (!outcome.handled && outcome.reason === 'issue-busy')
    return new InvocationError({
      retryAfter: outcome.retryAfterSeconds,
      retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST,
    });
  if (!outcome.handled && outcome.reason === 'invalid-event')
    deps.logger.warn('comment event ignored: unexpected shape', { details: outcome.details });
  if (!outcome.handled && outcome.reason === 'restricted')
    deps.logger.info('restricted jira comment not sent to the platform', {});
  return outcome;
}
