import { plainTextToAdf } from '../../domain/adf';
import type { TargetMapping } from '../../domain/config';
import { markIssueDeleted } from '../../domain/finding-state-transitions';
import { buildGroupFields, hashGroupFields } from '../../domain/group-issue';
import { planGroupStatus, type GroupRecord } from '../../domain/grouping';
import type { GroupEntry } from '../../domain/sync-triage';
import { resolveStatusTarget } from '../../domain/status-mapping';
import { JiraApiError } from '../errors';
import { moveIssueToStatus } from '../move-issue-to-status';
import type { InboxItem } from '../ports';
import { refusalOf, summariseJiraError, type ChunkRun } from './chunk-run';
import { notifyGroupScanClosure } from './group-scan-closure';

/**
 * An existing group issue brought up to date with its members: one edit when the rendered fields
 * (summary, member table, labels, priority when platform-owned) differ from what was last written
 * — whatever the number of members this chunk changed — and one move when every member is closed
 * (to done, with a comment) or one reopened (back to to-do). Zero Jira calls when nothing changed.
 */

export type GroupWork = {
  record: GroupRecord;
  mapping: TargetMapping;
  entries: Array<GroupEntry<InboxItem>>;
  failed: boolean;
  outcome: 'created' | 'recovered' | 'updated' | 'unchanged';
};

function statusComment(record: GroupRecord, move: 'resolved' | 'reopened', source: string): unknown {
  const count = Object.keys(record.members).length;
  return plainTextToAdf(
    move === 'resolved'
      ? `Closed by ${source}: all ${count} finding${count === 1 ? '' : 's'} of this group are resolved`
      : `Reopened by ${source}: a finding of this group is open again`,
  );
}

export async function updateGroupIssue(run: ChunkRun, w: GroupWork): Promise<void> {
  const issue = w.record.issue!;
  const source = w.entries[0]!.item.source;
  const createMeta = await run.metaFor(w.mapping);
  const hash = hashGroupFields(
    buildGroupFields(w.record, { mapping: w.mapping, config: run.config, meta: createMeta, purpose: 'edit' }),
  );
  if (hash !== w.record.written?.hash) {
    const editFields = await run.editFields(createMeta, issue.issueId);
    if (editFields === undefined) return groupIssueDeleted(run, w);
    const fields = buildGroupFields(w.record, {
      mapping: w.mapping,
      config: run.config,
      meta: { ...createMeta, fields: editFields },
      purpose: 'edit',
    });
    try {
      if (!(await run.deps.jira.editIssue(issue.issueId, fields))) return groupIssueDeleted(run, w);
    } catch (error) {
      if (!(error instanceof JiraApiError)) throw error;
      const jira = refusalOf(error);
      for (const { item } of w.entries)
        run.deadLetter(item, w.mapping.id, 'update', summariseJiraError(jira), jira, issue.issueKey);
      w.failed = true;
      return;
    }
    w.record = { ...w.record, written: { hash, done: w.record.written?.done ?? false } };
    if (w.outcome === 'unchanged') w.outcome = 'updated';
  }

  // Members a complete scan closed: the platform hears it per member (≤ 50 per callback), once the issue is up to date.
  const move = planGroupStatus(w.record);
  if (!move) return notifyGroupScanClosure(run, w, createMeta.statuses, undefined);
  const target = resolveStatusTarget(move, w.mapping, run.config);
  let after: { statusId: string; resolution: string | null } | undefined;
  if (target) {
    try {
      const moved = await moveIssueToStatus(
        {
          issueId: issue.issueId,
          target,
          statuses: createMeta.statuses,
          comment: statusComment(w.record, move, source),
        },
        run.deps.jira,
      );
      if (moved.kind === 'issue-missing') return groupIssueDeleted(run, w);
      if (moved.kind === 'no-path') {
        for (const { item } of w.entries)
          run.deadLetter(item, w.mapping.id, 'transition', moved.message, undefined, issue.issueKey);
        w.failed = true;
        return;
      }
      if (moved.kind === 'moved') for (const { item } of w.entries) run.count('transitioned', item.findingKey);
      after = { statusId: moved.statusId, resolution: move === 'resolved' ? (target.resolutionName ?? null) : null };
    } catch (error) {
      if (!(error instanceof JiraApiError)) throw error;
      const jira = refusalOf(error);
      for (const { item } of w.entries)
        run.deadLetter(
          item,
          w.mapping.id,
          'transition',
          `The transition was refused: ${summariseJiraError(jira)}`,
          jira,
          issue.issueKey,
        );
      w.failed = true;
      return;
    }
  }
  w.record = { ...w.record, written: { hash: w.record.written?.hash ?? hash, done: move === 'resolved' } };
  if (w.outcome === 'unchanged') w.outcome = 'updated';
  await notifyGroupScanClosure(run, w, createMeta.statuses, after);
}

/**
 * The group issue is gone from Jira. `recreate`: the group gets a new issue listing every member.
 * `ignore`: the members it held stay without an issue (re-posts are duplicates); findings joining
 * the group from now on get a new issue.
 */
export function groupIssueDeleted(run: ChunkRun, w: GroupWork): void {
  const old = w.record.issue!;
  run.deletedIssues.push(old.issueKey);
  const { issue: _gone, written: _written, pendingCreateSince: _mark, ...rest } = w.record;
  w.record = rest;
  if (run.config.onDeletedIssue === 'recreate') return;
  const members = { ...w.record.members };
  w.entries = w.entries.filter(({ item, state }) => {
    if (state?.outcome !== 'linked' || state.issueId !== old.issueId) return true;
    run.write(markIssueDeleted(item, state, 'ignore', run.moment));
    run.count('unchanged', item.findingKey);
    return false;
  });
  const joining = new Set(w.entries.map((e) => e.item.findingKey));
  for (const key of Object.keys(members)) if (!joining.has(key)) delete members[key];
  w.record = { ...w.record, members };
}
