import { buildGroupStatusChangedCallbacks, buildStatusChangedCallback } from '../domain/callback-events';
import {
  DEFAULT_MAPPING_ID,
  resolvePlatformCallbackSettings,
  type SyncConfig,
  type TargetMapping,
} from '../domain/config';
import { judgeIssueEvent, type IssueSyncState } from '../domain/event-ordering';
import {
  IssueEventSchema,
  readEventPosition,
  readStatusChange,
  type IssueEvent,
  type IssueUpdatedEvent,
} from '../domain/issue-event';
import { mapJiraStatusToFindingStatus } from '../domain/status-mapping';
import type { LinkedIssue } from './callback-ports';
import { newOutboxEntry } from './enqueue-platform-callbacks';
import { GROUP_OUTBOX_PER_COMMIT, handleIssueDeletion } from './handle-issue-deletion';
import type { IssueEventDeps, IssueEventOutcome } from './issue-event-deps';
import { readProductEvent, underIssueLock } from './product-event-preamble';

export type { IssueEventDeps, IssueEventOutcome } from './issue-event-deps';

/**
 * A Jira issue changed or was deleted (product trigger, `ignoreSelf`). Issues the app does not
 * manage cost one KVS read (the link) and nothing else. For a linked issue: drop stale and
 * duplicate events (changelog id / `updated` against the last applied event), map the Jira status
 * to a finding status with the config's status maps, and write the new state and the callback to
 * KVS in one transaction before queueing the delivery. A deletion sends `finding.issue_deleted`,
 * removes the link and records the deletion beside the finding's state (which the sync consumer
 * owns), so the sync's next look at the finding follows `onDeletedIssue`.
 */

export async function handleIssueEvent(input: unknown, deps: IssueEventDeps): Promise<IssueEventOutcome> {
  const read = readProductEvent(IssueEventSchema, input);
  if ('skipped' in read) return read.skipped;
  const event = read.event;
  if (!(await deps.links.findByIssueId(event.issue.id))) return { handled: false, reason: 'unmanaged-issue' };
  return underIssueLock(event.issue.id, deps, async (): Promise<IssueEventOutcome> => {
    // Read again under the lease: a deletion may have removed the link while this event waited.
    const link = await deps.links.findByIssueId(event.issue.id);
    if (!link) return { handled: false, reason: 'unmanaged-issue' };
    return event.eventType === 'avi:jira:deleted:issue'
      ? handleIssueDeletion(event, link, deps)
      : handleUpdate(event, link, deps);
  });
}

function mappingFor(config: SyncConfig, mappingId: string | undefined): TargetMapping | undefined {
  if (mappingId === undefined) return undefined;
  if (mappingId === DEFAULT_MAPPING_ID) return config.defaultMapping;
  return config.mappings.find((mapping) => mapping.id === mappingId);
}

function occurredAt(event: IssueEvent, now: Date): string {
  const updated = event.issue.fields?.updated;
  const ms = updated === undefined ? Number.NaN : Date.parse(updated);
  return Number.isNaN(ms) ? now.toISOString() : new Date(ms).toISOString();
}

async function handleUpdate(
  event: IssueUpdatedEvent,
  link: LinkedIssue,
  deps: IssueEventDeps,
): Promise<IssueEventOutcome> {
  const issueKey = event.issue.key;
  const change = readStatusChange(event);
  const position = readEventPosition(event);
  const status = change.status;
  if (!status) return { handled: true, issueKey, action: 'no-status-change' };

  const [state, loaded] = await Promise.all([deps.store.getIssueState(link.issueId), deps.config.load()]);
  const verdict = judgeIssueEvent(position, state);
  if (verdict !== 'apply' && state?.lastStatusCallbackId) {
    // Forge redelivers an event whose handling failed after the commit (e.g. the queue push was
    // throttled), by then possibly stale: the issue's latest callback may never have been queued.
    // Queue it again while it is unattempted (delivery is idempotent: outbox entry + token).
    const pending = await deps.store.getOutboxEntry(state.lastStatusCallbackId);
    if (pending && pending.attempts === 0)
      await deps.queue.publish([{ outboxId: pending.id, partition: pending.partition, token: pending.token }]);
  }
  if (verdict !== 'apply') return { handled: true, issueKey, action: verdict };
  // Field edits that leave the status alone change nothing for the platform.
  if (!change.statusChanged && (state === undefined || state.statusId === status.id))
    return { handled: true, issueKey, action: 'no-status-change' };

  const categoryKey = status.categoryKey ?? 'unknown';
  let resolutionName = change.resolutionName;
  if (resolutionName === undefined) {
    if (categoryKey !== 'done') resolutionName = null;
    else if (state?.resolutionName !== undefined && state.statusCategoryKey === 'done')
      resolutionName = state.resolutionName;
    else resolutionName = (await deps.resolutions.getResolution(link.issueId)) ?? null;
  }

  const config = loaded.config;
  const mapping = mappingFor(config, link.mappingId);
  const mapped = mapJiraStatusToFindingStatus(
    { statusCategoryKey: categoryKey, statusId: status.id, statusName: status.name, resolutionName },
    mapping,
    config,
  );
  const now = deps.now();
  const previous = state?.findingStatus;
  const nextState: IssueSyncState = {
    issueId: link.issueId,
    issueKey,
    ...(position.changelogId !== undefined
      ? { lastChangelogId: position.changelogId }
      : state?.lastChangelogId !== undefined
        ? { lastChangelogId: state.lastChangelogId }
        : {}),
    ...(position.updated !== undefined
      ? { lastUpdated: position.updated }
      : state?.lastUpdated !== undefined
        ? { lastUpdated: state.lastUpdated }
        : {}),
    statusId: status.id,
    statusName: status.name,
    statusCategoryKey: categoryKey,
    resolutionName,
    findingStatus: mapped,
    ...(state?.lastStatusCallbackId ? { lastStatusCallbackId: state.lastStatusCallbackId } : {}),
    appliedAt: now.toISOString(),
  };

  if (mapped === 'unmapped') {
    await deps.unmapped.report({
      projectKey: link.projectKey ?? event.issue.fields?.project?.key ?? issueKey.split('-')[0] ?? '',
      mappingId: link.mappingId ?? '',
      statusId: status.id,
      statusName: status.name,
      statusCategoryKey: categoryKey,
      resolutionName,
      exampleIssueKey: issueKey,
      lastSeenAt: now.toISOString(),
    });
    await deps.store.commit({ issueState: nextState });
    deps.logger.warn('jira status not mapped to a finding status', {
      issueKey,
      statusId: status.id,
      statusName: status.name,
      resolutionName,
    });
    return { handled: true, issueKey, action: 'unmapped' };
  }

  const unchanged =
    state !== undefined &&
    state.statusId === status.id &&
    previous === mapped &&
    state.resolutionName === resolutionName;
  const settings = resolvePlatformCallbackSettings(config);
  if (unchanged || !settings.enabled) {
    await deps.store.commit({ issueState: nextState });
    return { handled: true, issueKey, action: unchanged ? 'unchanged' : 'state-recorded' };
  }

  if (link.groupId !== undefined) {
    const record = (await deps.groups.getMany([link.groupId])).get(link.groupId);
    const members = Object.values(record?.members ?? {}).map((m) => ({ id: m.id, source: m.source }));
    if (members.length > 0) {
      const callbacks = buildGroupStatusChangedCallbacks({
        group: { id: link.groupId, label: record!.label },
        members,
        issue: { id: link.issueId, key: issueKey, ...(link.projectKey ? { projectKey: link.projectKey } : {}) },
        occurredAt: occurredAt(event, now),
        ...(position.changelogId !== undefined ? { changelogId: position.changelogId } : {}),
        jira: { statusId: status.id, statusName: status.name, statusCategory: categoryKey, resolution: resolutionName },
        findingStatus: mapped,
        ...(previous !== undefined && previous !== 'unmapped' ? { previousFindingStatus: previous } : {}),
        ...(event.atlassianId ? { actorAccountId: event.atlassianId } : {}),
      });
      const entries = callbacks.map((callback) => newOutboxEntry(callback, link.issueId, now, deps.newToken()));
      // The issue state goes with the last part: a crash before it redoes the event, rewriting the same ids.
      for (let i = 0; i < entries.length - 1; i += GROUP_OUTBOX_PER_COMMIT)
        await deps.store.commit({
          outboxes: entries.slice(i, Math.min(i + GROUP_OUTBOX_PER_COMMIT, entries.length - 1)),
        });
      await deps.store.commit({
        issueState: { ...nextState, lastStatusCallbackId: callbacks[0]!.id },
        outbox: entries.at(-1)!,
      });
      await deps.queue.publish(entries.map((e) => ({ outboxId: e.id, partition: e.partition, token: e.token })));
      deps.logger.info('group issue status change queued for the platform', {
        issueKey,
        groupId: link.groupId,
        members: members.length,
        callbacks: callbacks.length,
        findingStatus: mapped,
      });
      return { handled: true, issueKey, action: 'callback-queued', callbackId: callbacks[0]!.id };
    }
  }

  const callback = buildStatusChangedCallback({
    finding: { id: link.findingId, source: link.source },
    issue: { id: link.issueId, key: issueKey, ...(link.projectKey ? { projectKey: link.projectKey } : {}) },
    occurredAt: occurredAt(event, now),
    ...(position.changelogId !== undefined ? { changelogId: position.changelogId } : {}),
    jira: { statusId: status.id, statusName: status.name, statusCategory: categoryKey, resolution: resolutionName },
    findingStatus: mapped,
    ...(previous !== undefined && previous !== 'unmapped' ? { previousFindingStatus: previous } : {}),
    ...(event.atlassianId ? { actorAccountId: event.atlassianId } : {}),
  });
  const entry = newOutboxEntry(callback, link.issueId, now, deps.newToken());
  await deps.store.commit({ issueState: { ...nextState, lastStatusCallbackId: callback.id }, outbox: entry });
  await deps.queue.publish([{ outboxId: entry.id, partition: entry.partition, token: entry.token }]);
  deps.logger.info('issue status change queued for the platform', {
    issueKey,
    findingId: link.findingId,
    findingStatus: mapped,
    callbackId: callback.id,
  });
  return { handled: true, issueKey, action: 'callback-queued', callbackId: callback.id };
}
