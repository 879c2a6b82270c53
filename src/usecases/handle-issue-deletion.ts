import { buildGroupIssueDeletedCallbacks, buildIssueDeletedCallback } from '../domain/callback-events';
import { resolvePlatformCallbackSettings } from '../domain/config';
import { computeFindingKey } from '../domain/finding-state';
import type { IssueEvent } from '../domain/issue-event';
import type { LinkedIssue } from './callback-ports';
import { newOutboxEntry } from './enqueue-platform-callbacks';
import type { IssueEventDeps, IssueEventOutcome } from './issue-event-deps';

/** Outbox entries per KVS transaction (≤ 25 operations) for a group issue's callbacks. */
export const GROUP_OUTBOX_PER_COMMIT = 20;

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
  const issue = { id: link.issueId, key: issueKey, ...(link.projectKey ? { projectKey: link.projectKey } : {}) };
  const common = {
    issue,
    occurredAt: now.toISOString(),
    ...(event.atlassianId ? { actorAccountId: event.atlassianId } : {}),
    onLaterUpdate: config.onDeletedIssue,
  };
  // A group issue: `finding.issue_deleted` for every member, ≤ 50 per callback. The deletion is
  // recorded under the group id; the sync applies it to every member whose state names the group.
  const record =
    settings.enabled && link.groupId !== undefined
      ? (await deps.groups.getMany([link.groupId])).get(link.groupId)
      : undefined;
  const callbacks = !settings.enabled
    ? []
    : record
      ? buildGroupIssueDeletedCallbacks({
          ...common,
          group: { id: record.groupId, label: record.label },
          members: Object.values(record.members).map((m) => ({ id: m.id, source: m.source })),
        })
      : link.groupId === undefined
        ? [buildIssueDeletedCallback({ ...common, finding: { id: link.findingId, source: link.source } })]
        : [];
  const entries = callbacks.map((callback) => newOutboxEntry(callback, link.issueId, now, deps.newToken()));
  // The link goes with the last part: a crash before it redoes the event, rewriting the same ids.
  for (let i = 0; i < entries.length - 1; i += GROUP_OUTBOX_PER_COMMIT)
    await deps.store.commit({ outboxes: entries.slice(i, Math.min(i + GROUP_OUTBOX_PER_COMMIT, entries.length - 1)) });
  await deps.store.commit({
    unlinkIssueId: link.issueId,
    ...(entries.length > 0 ? { outbox: entries.at(-1)! } : {}),
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
  if (entries.length > 0)
    await deps.queue.publish(entries.map((e) => ({ outboxId: e.id, partition: e.partition, token: e.token })));
  deps.logger.info('linked issue deleted in Jira', {
    issueKey,
    findingId: link.findingId,
    ...(link.groupId !== undefined ? { groupId: link.groupId, callbacks: callbacks.length } : {}),
    onDeletedIssue: config.onDeletedIssue,
  });
  return { handled: true, issueKey, action: 'link-removed', ...(callbacks[0] ? { callbackId: callbacks[0].id } : {}) };
}
