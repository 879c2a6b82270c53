import { plainTextToAdf } from '../../domain/adf';
import type { SyncConfig, TargetMapping } from '../../domain/config';
import type { Finding, FindingStatus } from '../../domain/finding';
import { computeContentHash, type AssigneeRefusal, type LinkedState } from '../../domain/finding-state';
import { markIssueDeleted, recordUpdate } from '../../domain/finding-state-transitions';
import { diffFingerprints } from '../../domain/fingerprint';
import {
  ASSIGNEE_FIELD_ID,
  buildIssueEditFields,
  fingerprintFinding,
  isAssigneeRefusal,
  readAssigneeAccountId,
  removeAssignee,
  type IssueTypeMeta,
} from '../../domain/issue-fields';
import { routeFinding } from '../../domain/routing';
import { buildScanClosureCallback } from '../../domain/scan-closure-callback';
import { describeScanClosure, effectiveStatusChange } from '../../domain/scan-scope';
import { resolveStatusTarget, type JiraStatus } from '../../domain/status-mapping';
import { JiraApiError, TransientError } from '../errors';
import { moveIssueToStatus } from '../move-issue-to-status';
import type { InboxItem } from '../ports';
import { refusalOf, summariseJiraError, type ChunkRun } from './chunk-run';

/**
 * The update path: a linked finding's platform-owned fields are edited when their fingerprint
 * changed, and the issue follows a status change through the workflow. Zero Jira calls when
 * nothing changed. An edit Jira refuses only for the assignee is sent again without it; a refused
 * edit or transition is dead-lettered and the state stays behind (not settled), so the next re-post
 * retries; an issue found deleted is recorded per the `onDeletedIssue` policy.
 */

const STATUS_WORDS: Record<FindingStatus, string> = {
  open: 'open',
  in_progress: 'in progress',
  resolved: 'resolved',
  false_positive: 'false positive',
  risk_accepted: 'risk accepted',
  reopened: 'reopened',
};

function transitionComment(item: InboxItem, status: FindingStatus): unknown {
  if (item.closedBy) return plainTextToAdf(describeScanClosure(item.closedBy));
  const source = item.source;
  const closing = status === 'resolved' || status === 'false_positive' || status === 'risk_accepted';
  return plainTextToAdf(
    closing
      ? `Closed by ${source}: ${STATUS_WORDS[status]}`
      : `Moved by ${source}: the finding is ${STATUS_WORDS[status]}`,
  );
}

/** The mapping of an issue that already exists: the one it was routed through, else today's route. */
function mappingForLinked(state: LinkedState, finding: Finding, config: SyncConfig): TargetMapping {
  const byLane =
    config.mappings.find((m) => m.id === state.lane) ??
    (config.defaultMapping?.id === state.lane ? config.defaultMapping : undefined);
  if (byLane) return byLane;
  const route = routeFinding(finding, config);
  if (route.routed && route.mapping.projectKey === state.projectKey) return route.mapping;
  return { id: state.lane, projectKey: state.projectKey ?? '', issueTypeId: state.issueTypeId, labels: [] };
}

/** Updates the linked issues in order; a transient failure stops the rest (the chunk is retried). */
export async function updateIssues(
  run: ChunkRun,
  updates: ReadonlyArray<{ item: InboxItem; state: LinkedState }>,
): Promise<void> {
  for (const update of updates) {
    try {
      await updateIssue(run, update.item, update.state);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      run.defer(error);
      return;
    }
  }
}

async function updateIssue(run: ChunkRun, item: InboxItem, state: LinkedState): Promise<void> {
  const { finding } = item;
  const mapping = mappingForLinked(state, finding, run.config);
  const fingerprint = fingerprintFinding(finding, run.config, mapping);
  const changed = diffFingerprints(state.fingerprint, fingerprint).filter((part) => part !== 'status');
  const statusChanged = state.findingStatus !== finding.status;
  // A finding closed earlier that is reported open again is reopened (a complete scan closed it, say).
  const targetStatus = effectiveStatusChange(state.findingStatus, finding.status);
  let fieldsApplied = true;
  let statusApplied = true;
  let assigneeRefused: AssigneeRefusal | undefined;

  if (changed.length > 0) {
    const createMeta = await run.metaFor(mapping);
    // Edits follow the edit screen, which may hold other fields than the create screen.
    const editFields = await run.editFields(createMeta, state.issueId);
    if (editFields === undefined) return issueDeleted(run, item, state);
    const meta: IssueTypeMeta = { ...createMeta, fields: editFields };
    const fields = buildIssueEditFields(changed, {
      finding,
      mapping,
      config: run.config,
      meta,
      assigneeAccountId: await run.assigneeFor(finding, mapping),
      now: run.now,
      platformName: item.source,
    });
    if (fields) {
      try {
        const edited = await editIssueOrDropAssignee(run, state.issueId, fields);
        if (edited === 'missing') return issueDeleted(run, item, state);
        if (edited.refusal) {
          assigneeRefused = edited.refusal;
          run.count('assigneeDropped', item.findingKey);
          run.assigneeDropped.push(finding.id);
        }
        run.count('updated', item.findingKey);
      } catch (error) {
        if (!(error instanceof JiraApiError)) throw error;
        const jira = refusalOf(error);
        run.deadLetter(item, state.lane, 'update', summariseJiraError(jira), jira, state.issueKey);
        fieldsApplied = false;
      }
    }
  }

  if (statusChanged) {
    const target = resolveStatusTarget(targetStatus, mapping, run.config);
    if (target) {
      const meta = await run.metaFor(mapping);
      try {
        const moved = await moveIssueToStatus(
          {
            issueId: state.issueId,
            target,
            statuses: meta.statuses,
            comment: transitionComment(item, targetStatus),
          },
          run.deps.jira,
        );
        if (moved.kind === 'issue-missing') return issueDeleted(run, item, state);
        if (item.closedBy && (moved.kind === 'moved' || moved.kind === 'already-there'))
          await notifyScanClosure(run, item, state, moved.statusId, meta.statuses, target.resolutionName);
        if (moved.kind === 'no-path') {
          run.deadLetter(item, state.lane, 'transition', moved.message, undefined, state.issueKey);
          statusApplied = false;
        } else if (moved.kind === 'moved') {
          run.count('transitioned', item.findingKey);
        }
      } catch (error) {
        if (!(error instanceof JiraApiError)) throw error;
        const jira = refusalOf(error);
        const reason = `The transition was refused: ${summariseJiraError(jira)}`;
        run.deadLetter(item, state.lane, 'transition', reason, jira, state.issueKey);
        statusApplied = false;
      }
    }
  }

  if (changed.length === 0 && !statusChanged) {
    run.count('unchanged', item.findingKey);
    const settled = state.settled;
    const indexed = item.scope === undefined || state.scope === item.scope; // else: record the scope (its index entry)
    if (
      indexed &&
      settled?.contentHash === computeContentHash(finding) &&
      settled.configRevision === run.moment.configRevision
    )
      return; // nothing to write
  }
  // What Jira holds now: the parts that were applied.
  const parts: Record<string, string> = { ...(state.fingerprint?.parts ?? {}) };
  if (fieldsApplied)
    for (const [part, value] of Object.entries(fingerprint.parts))
      if (part !== 'status' && value !== undefined) parts[part] = value;
  if (statusApplied && fingerprint.parts.status !== undefined) parts['status'] = fingerprint.parts.status;
  const allApplied = fieldsApplied && statusApplied;
  const next = recordUpdate(
    item,
    state,
    {
      fingerprint: allApplied ? fingerprint : { value: state.fingerprint?.value ?? '', parts },
      findingStatus: statusApplied ? finding.status : state.findingStatus,
      ...(assigneeRefused ? { assigneeRefused } : {}),
      settled: allApplied,
    },
    run.moment,
  );
  run.write(next, state);
}

/**
 * Edits the issue; when Jira refuses only because of the assignee (keyed on the field id), the
 * edit is sent once more without it. `missing`: the issue no longer exists.
 */
async function editIssueOrDropAssignee(
  run: ChunkRun,
  issueId: string,
  fields: Record<string, unknown>,
): Promise<'missing' | { refusal?: AssigneeRefusal }> {
  try {
    return (await run.deps.jira.editIssue(issueId, fields)) ? {} : 'missing';
  } catch (error) {
    const request = { fields, properties: [] };
    const accountId = readAssigneeAccountId(request);
    if (!(error instanceof JiraApiError) || accountId === undefined || !isAssigneeRefusal(request, error.errors))
      throw error;
    const refusal: AssigneeRefusal = {
      accountId,
      error: error.errors[ASSIGNEE_FIELD_ID] ?? '',
      at: run.now.toISOString(),
    };
    const rest = removeAssignee(request).fields;
    if (Object.keys(rest).length === 0) return { refusal };
    return (await run.deps.jira.editIssue(issueId, rest)) ? { refusal } : 'missing';
  }
}

/**
 * Tells the platform that a complete scan's closing moved the issue (before the state is written: a
 * crash in between finds the issue already there and sends the same callback again, never none).
 */
async function notifyScanClosure(
  run: ChunkRun,
  item: InboxItem,
  state: LinkedState,
  statusId: string,
  statuses: ReadonlyArray<JiraStatus>,
  resolutionName: string | undefined,
): Promise<void> {
  const status = statuses.find((s) => s.id === statusId);
  const callback = buildScanClosureCallback({
    closedBy: item.closedBy!,
    finding: { id: item.finding.id, source: item.source },
    issue: { id: state.issueId, key: state.issueKey, ...(state.projectKey ? { projectKey: state.projectKey } : {}) },
    jira: {
      statusId,
      statusName: status?.name ?? statusId,
      statusCategory: status?.statusCategoryKey ?? 'done',
      resolution: resolutionName ?? null,
    },
    ...(state.findingStatus ? { previousFindingStatus: state.findingStatus } : {}),
    occurredAt: run.now.toISOString(),
  });
  await run.deps.linkNotifier.statusChanged([{ callback, partition: state.issueId }]);
}

function issueDeleted(run: ChunkRun, item: InboxItem, state: LinkedState): void {
  run.write(markIssueDeleted(item, state, run.config.onDeletedIssue, run.moment));
  run.count('unchanged', item.findingKey);
  run.deletedIssues.push(state.issueKey);
}
