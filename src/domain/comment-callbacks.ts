import {
  CALLBACK_SCHEMA_VERSION,
  computeCallbackId,
  type CallbackComment,
  type CallbackFinding,
  type CallbackIssue,
  type CommentCallbackType,
  type PlatformCallback,
} from './callback-events';

/**
 * A Jira comment added, edited or deleted on a linked issue. The id derives from the issue, the
 * comment and (for an edit) the content's hash, so a redelivered event writes the same callback.
 */
export function buildCommentCallback(input: {
  type: CommentCallbackType;
  finding: CallbackFinding;
  issue: CallbackIssue;
  occurredAt: string;
  comment: CallbackComment;
  contentHash: string;
  actorAccountId?: string;
}): PlatformCallback {
  const cause = input.type === 'finding.comment_updated' ? [input.contentHash] : [];
  return {
    type: input.type,
    id: computeCallbackId(input.type, [input.issue.id, input.comment.jiraCommentId, ...cause]),
    version: CALLBACK_SCHEMA_VERSION,
    occurredAt: input.occurredAt,
    finding: input.finding,
    issue: input.issue,
    comment: input.comment,
    actor: input.actorAccountId ? { accountId: input.actorAccountId } : null,
  };
}
