import type { JiraStatus } from '../../domain/status-mapping';
import { isClosedStatus } from '../../domain/grouping';
import { buildGroupScanClosureCallbacks } from '../../domain/scan-closure-callback';
import type { ChunkRun } from './chunk-run';
import type { GroupWork } from './group-update';

/**
 * Members of a group issue that a complete scan closed: the platform hears it as it does for a single
 * finding (`finding.status_changed`, `findingStatus: resolved`, `actor: null`), ≤ 50 members per
 * callback with `links`, `group` and `batch`, as when a person moves the group issue. Sent after the
 * group issue was brought up to date and before the member states are written: a crash in between
 * re-sends the same callbacks (same ids), never none. Nothing is sent when every such member's state
 * already says closed (an earlier attempt got that far).
 *
 * `after`: the group issue's status when this chunk moved it (or found it there); otherwise it is
 * read (one Jira GET), since the issue stays where it is while other members are open.
 */
export async function notifyGroupScanClosure(
  run: ChunkRun,
  w: GroupWork,
  statuses: ReadonlyArray<JiraStatus>,
  after: { statusId: string; resolution: string | null } | undefined,
): Promise<void> {
  const issue = w.record.issue;
  if (!issue) return;
  const closing = w.entries.filter(
    ({ item, state }) =>
      item.closedBy !== undefined &&
      isClosedStatus(item.finding.status) &&
      state?.outcome === 'linked' &&
      state.issueId === issue.issueId,
  );
  if (closing.length === 0) return;
  if (closing.every(({ state }) => state?.findingStatus !== undefined && isClosedStatus(state.findingStatus))) return;

  let status = after;
  if (!status) {
    const snapshot = await run.deps.jira.getIssueStatus(issue.issueId);
    if (!snapshot) return; // gone: the next chunk that touches the group records the deletion
    status = { statusId: snapshot.statusId, resolution: null };
  }
  const known = statuses.find((s) => s.id === status.statusId);
  const callbackIssue = { id: issue.issueId, key: issue.issueKey, projectKey: issue.projectKey };
  const byScan = new Map<string, typeof closing>();
  for (const entry of closing) {
    const scanId = entry.item.closedBy!.scanId;
    byScan.set(scanId, [...(byScan.get(scanId) ?? []), entry]);
  }
  const callbacks = [...byScan.values()].flatMap((entries) =>
    buildGroupScanClosureCallbacks({
      closedBy: entries[0]!.item.closedBy!,
      group: { id: w.record.groupId, label: w.record.label },
      members: entries.map(({ item }) => ({ id: item.finding.id, source: item.source })),
      issue: callbackIssue,
      jira: {
        statusId: status.statusId,
        statusName: known?.name ?? status.statusId,
        statusCategory: known?.statusCategoryKey ?? 'indeterminate',
        resolution: status.resolution,
      },
      occurredAt: run.now.toISOString(),
    }),
  );
  await run.deps.linkNotifier.statusChanged(callbacks.map((callback) => ({ callback, partition: issue.issueId })));
}
