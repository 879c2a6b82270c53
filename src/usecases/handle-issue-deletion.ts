import { buildIssueDeletedCallback } from '../domain/callback-events';
import { resolvePlatformCallbackSettings } from '../domain/config';
import { computeFindingKey } from '../domain/finding-state';
import type { IssueEvent } from '../domain/issue-event';
import type { LinkedIssue } from './callback-ports';
import { newOutboxEntry } from './enqueue-platform-callbacks';
import type { IssueEventDeps, IssueEventOutcome } from './issue-event-deps';

/**
 * A linked issue was deleted in Jira: send `finding.issue_deleted`, remove the link and record the
 * deletion beside the finding's state (which the sync consumer owns), so the sync's next look at the
 * finding follows `onDeletedIssue`. Runs under the issue's event lease (handle-issue-event.ts).
 */
export async function handleIssueDeletion(
  event: IssueEvent,
  link: LinkedIssue,
  deps: IssueEventDeps,
): Promise<IssueEventOutcome> {
  const issueKey = event.issue.key;
  const findingKey = link.findingKey ?? computeFindingKey(link.source, link.findingId);
  const loaded = await deps.config.load();
  const now = deps.now();
  const config = loaded.config;
  const settings = resolvePlatformCallbackSettings(config);
  const callback = buildIssueDeletedCallback({
    finding: { id: link.findingId, source: link.source },
    issue: { id: link.issueId, key: issueKey, ...(link.projectKey ? { projectKey: link.projectKey } : {}) },
    occurredAt: now.toISOString(),
    ...(event.atlassianId ? { actorAccountId: event.atlassianId } : {}),
    onLaterUpdate: config.onDeletedIssue,
  });
  // A group issue: per-member deletion callbacks are not sent yet; the sync applies `onDeletedIssue`
  // to each member when it next finds the issue gone (README "Grouping").
  const entry =
    settings.enabled && link.groupId === undefined
      ? newOutboxEntry(callback, link.issueId, now, deps.newToken())
      : undefined;
  await deps.store.commit({
    unlinkIssueId: link.issueId,
    ...(entry ? { outbox: entry } : {}),
    // Not the finding's state: the sync consumer may be writing it right now. It applies this record.
    issueDeletion: {
      findingKey,
      issueId: link.issueId,
      issueKey,
      deletedAt: now.toISOString(),
      reason:
        `Jira issue ${issueKey} was deleted; a later update ` +
        `${config.onDeletedIssue === 'recreate' ? 'creates a new issue' : 'is ignored'} ` +
        `(onDeletedIssue: ${config.onDeletedIssue})`,
    },
  });
  if (entry) await deps.queue.publish([{ outboxId: entry.id, partition: entry.partition, token: entry.token }]);
  deps.logger.info('linked issue deleted in Jira', {
    issueKey,
    findingId: link.findingId,
    onDeletedIssue: config.onDeletedIssue,
  });
  return { handled: true, issueKey, action: 'link-removed', ...(entry ? { callbackId: callback.id } : {}) };
}
