import type { CommentCallbackType } from '../domain/callback-events';
import { buildCommentCallback } from '../domain/comment-callbacks';
import { adfToText, CommentEventSchema, jiraCommentHash, type CommentEvent } from '../domain/comment-event';
import { resolvePlatformCallbackSettings } from '../domain/config';
import type { JiraCommentEntry } from '../domain/jira-comment';
import type { LinkedIssue } from './callback-ports';
import type { AppCommentStore, JiraCommentStore } from './comment-ports';
import { newOutboxEntry } from './enqueue-platform-callbacks';
import type { IssueEventDeps } from './issue-event-deps';
import { readProductEvent, underIssueLock } from './product-event-preamble';

/**
 * A Jira comment was added, edited or deleted (product trigger, `ignoreSelf`). Issues the app does
 * not manage cost one KVS read (the link). On a linked issue, a person's comment becomes a
 * `finding.comment_added` / `_updated` / `_deleted` callback through the outbox (signed, ordered
 * per issue, retried, dead-lettered), unless:
 * - the app wrote it (a platform comment: `selfGenerated`, or its id in the issue's app record) —
 *   loop safety;
 * - it is restricted to a role or group and the policy (`comments.includeRestricted`) says no;
 * - comment sync to the platform is off (`comments.toPlatform`), or callbacks are off;
 * - the issue is a group issue (its comments belong to no one finding).
 * Under the issue's lock, the issue's Jira-comment record tells an edit from an addition and makes
 * a redelivered event a no-op; callback ids derive from the comment (and the edit's content).
 */

export type CommentEventDeps = Pick<
  IssueEventDeps,
  'links' | 'store' | 'config' | 'queue' | 'logger' | 'now' | 'newToken' | 'lock' | 'sleep'
> & {
  appComments: Pick<AppCommentStore, 'get'>;
  jiraComments: JiraCommentStore;
};

export type CommentEventOutcome =
  | {
      handled: false;
      reason:
        | 'invalid-event'
        | 'self-generated'
        | 'unmanaged-issue'
        | 'group-issue'
        | 'sync-off'
        | 'app-comment'
        | 'restricted';
      details?: string;
    }
  | { handled: false; reason: 'issue-busy'; retryAfterSeconds: number }
  | { handled: true; issueKey: string; action: 'duplicate' | 'callback-queued'; callbackId?: string };

export async function handleCommentEvent(input: unknown, deps: CommentEventDeps): Promise<CommentEventOutcome> {
  const read = readProductEvent(CommentEventSchema, input);
  if ('skipped' in read) return read.skipped;
  const event = read.event;
  const link = await deps.links.findByIssueId(event.issue.id);
  if (!link) return { handled: false, reason: 'unmanaged-issue' };
  if (link.groupId !== undefined) return { handled: false, reason: 'group-issue' };
  const { config } = await deps.config.load();
  if (!config.comments.toPlatform || !resolvePlatformCallbackSettings(config).enabled)
    return { handled: false, reason: 'sync-off' };
  const appRecord = await deps.appComments.get(link.issueId);
  if (Object.values(appRecord?.entries ?? {}).some((e) => e.jiraCommentId === event.comment.id))
    return { handled: false, reason: 'app-comment' };
  if (event.comment.visibility && !config.comments.includeRestricted) return { handled: false, reason: 'restricted' };

  return underIssueLock(link.issueId, deps, () => applyCommentEvent(event, link, deps));
}

async function applyCommentEvent(
  event: CommentEvent,
  link: LinkedIssue,
  deps: CommentEventDeps,
): Promise<CommentEventOutcome> {
  const issueKey = event.issue.key;
  const comment = event.comment;
  const record = (await deps.jiraComments.get(link.issueId)) ?? { issueId: link.issueId, entries: {} };
  const entry = record.entries[comment.id];
  const deletion = event.eventType === 'avi:jira:deleted:comment';
  const text = deletion ? '' : adfToText(comment.body ?? '');
  const hash = deletion ? (entry?.hash ?? '') : jiraCommentHash(text, comment.visibility);

  let type: CommentCallbackType;
  let next: JiraCommentEntry;
  if (deletion) {
    if (!entry || entry.reported === 'deleted') return { handled: true, issueKey, action: 'duplicate' };
    type = 'finding.comment_deleted';
    next = { hash, reported: 'deleted' };
  } else {
    // A late delivery of an earlier version, or the same version again, sends nothing.
    if (entry?.reported === 'deleted' || entry?.hash === hash) return { handled: true, issueKey, action: 'duplicate' };
    type = entry ? 'finding.comment_updated' : 'finding.comment_added';
    next = { hash, reported: entry ? 'updated' : 'added' };
  }

  const now = deps.now();
  const author = comment.author?.accountId ?? event.atlassianId;
  const callback = buildCommentCallback({
    type,
    finding: { id: link.findingId, source: link.source },
    issue: { id: link.issueId, key: issueKey, ...(link.projectKey ? { projectKey: link.projectKey } : {}) },
    occurredAt: (deletion ? undefined : comment.updated) ?? now.toISOString(),
    comment: {
      id: `jira-${comment.id}`,
      jiraCommentId: comment.id,
      author: author ? { accountId: author } : null,
      ...(deletion ? {} : { body: text }),
      ...(comment.created ? { createdAt: comment.created } : {}),
      ...(comment.updated ? { updatedAt: comment.updated } : {}),
      ...(comment.visibility ? { visibility: { type: comment.visibility.type, value: comment.visibility.value } } : {}),
    },
    contentHash: hash,
    ...(event.atlassianId ? { actorAccountId: event.atlassianId } : {}),
  });
  const outbox = newOutboxEntry(callback, link.issueId, now, deps.newToken());
  // Outbox first, then the record: a crash in between redoes the event, rewriting the same callback id.
  await deps.store.commit({ outbox });
  await deps.jiraComments.put({ ...record, entries: { ...record.entries, [comment.id]: next } });
  await deps.queue.publish([{ outboxId: outbox.id, partition: outbox.partition, token: outbox.token }]);
  deps.logger.info('jira comment queued for the platform', { issueKey, type, callbackId: callback.id });
  return { handled: true, issueKey, action: 'callback-queued', callbackId: callback.id };
}
