import {
  CALLBACK_SCHEMA_VERSION,
  computeCallbackId,
  type CallbackFinding,
  type CallbackIssue,
  type PlatformCallback,
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
