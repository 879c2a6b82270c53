import {
  CALLBACK_SCHEMA_VERSION,
  computeCallbackId,
  inParts,
  type CallbackFinding,
  type CallbackIssue,
  type PlatformCallback,
  type StatusChangedCallback,
} from './callback-events';
import type { FindingStatus } from './finding';
import type { ClosedByScan } from './scan-scope';

/**
 * The `finding.status_changed` a complete scan's closing sends: the platform hears that the app
 * closed a finding it no longer reported, as it hears of a person's change in Jira (`actor: null`;
 * no `sequence`: no changelog id is known). Its id derives from the scan and the issue, so a retried
 * closing re-sends the same callback, never a second one.
 */
export function buildScanClosureCallback(input: {
  closedBy: ClosedByScan;
  finding: CallbackFinding;
  issue: CallbackIssue;
  jira: { statusId: string; statusName: string; statusCategory: string; resolution: string | null };
  previousFindingStatus?: FindingStatus;
  occurredAt: string;
}): PlatformCallback {
  return {
    type: 'finding.status_changed',
    id: computeCallbackId('finding.status_changed', ['scan', input.closedBy.scanId, input.issue.id]),
    version: CALLBACK_SCHEMA_VERSION,
    occurredAt: input.occurredAt,
    finding: input.finding,
    issue: input.issue,
    jira: input.jira,
    findingStatus: 'resolved',
    ...(input.previousFindingStatus ? { previousFindingStatus: input.previousFindingStatus } : {}),
    actor: null,
  };
}

/**
 * The same for members of a group issue a complete scan closed: one `finding.status_changed` per ≤ 50
 * members (`links`, `group`, `batch`, `finding` absent), as a person's move of the group issue sends.
 * `jira` is the group issue's status after the closing (still open while other members are). The id
 * derives from the scan, the issue and the members closed together (one closing chunk), so a retried
 * chunk re-sends the same callbacks and another chunk of the same scan sends its own.
 */
export function buildGroupScanClosureCallbacks(input: {
  closedBy: ClosedByScan;
  group: { id: string; label: string };
  members: ReadonlyArray<CallbackFinding>;
  issue: CallbackIssue;
  jira: StatusChangedCallback['jira'];
  occurredAt: string;
}): StatusChangedCallback[] {
  const members = [...input.members].sort((a, b) =>
    `${a.source}\n${a.id}` < `${b.source}\n${b.id}` ? -1 : `${a.source}\n${a.id}` > `${b.source}\n${b.id}` ? 1 : 0,
  );
  const cause = ['scan', input.closedBy.scanId, input.issue.id, ...members.map((m) => `${m.source}|${m.id}`)];
  const first = { id: computeCallbackId('finding.status_changed', cause) };
  return inParts(first, members, input.issue, input.group, 'finding.status_changed', (part) => ({
    type: 'finding.status_changed',
    id: part.id,
    version: CALLBACK_SCHEMA_VERSION,
    occurredAt: input.occurredAt,
    issue: input.issue,
    links: part.links,
    jira: input.jira,
    findingStatus: 'resolved',
    actor: null,
  }));
}
