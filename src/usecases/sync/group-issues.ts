import type { TargetMapping } from '../../domain/config';
import { joinGroup, markDead } from '../../domain/finding-state-transitions';
import { buildGroupCreateRequest } from '../../domain/group-issue';
import { GroupingSchema } from '../../domain/grouping-mode';
import { newGroupRecord, upsertMembers, type GroupRecord } from '../../domain/grouping';
import { searchAgainInMs } from '../../domain/search-index-lag';
import type { GroupEntry } from '../../domain/sync-triage';
import { JiraApiError, TransientError } from '../errors';
import type { InboxItem, IssueLinkRecord } from '../ports';
import { refusalOf, summariseJiraError, type ChunkRun } from './chunk-run';
import { groupIssueDeleted, updateGroupIssue, type GroupWork } from './group-update';

/**
 * The group path of a sync chunk: findings whose mapping groups them (config `grouping`) become
 * members of one Jira issue per group — created once, then edited at most once per chunk however
 * many members the chunk adds or changes, moved to done when every member is closed and back when
 * one reopens.
 *
 *   load group records → recover pending groups (JQL on the group id) → edit / move existing
 *   group issues → mark new groups pending, bulk-create them → write group records → tell the
 *   platform of new members (issue_linked) and store the issue link → member states (flush)
 *
 * Exactly once: a group id hashes its mapping id, which is the chunk's lane, so the lane lease
 * serialises every chunk that touches a group. When the routing changed after ingest (a finding
 * queued in lane A now routes to mapping B), the lease of lane B is taken as well for the group
 * phase (renewed like the chunk's own, `lane-leases.ts`); when B is busy, those findings wait for
 * the chunk's retry. A group is marked pending (its record, members included) before the bulk
 * create; the create sets the group id in the issue's link entity property, so an attempt that
 * finds a pending group searches Jira first.
 * Crash after: the pending mark → no issue, create; the bulk create → the issue is found and linked
 * (`recovered`), then edited to the current member list; the group records → members not yet
 * linked are linked, no Jira write (same rendered hash); the link callback → re-sent with the same
 * id; member states → nothing left to do but rewrite them.
 */

/** `failed`: the group's issue write failed, so its members' states stay unsettled and a re-post retries. */
type Work = GroupWork & { meta?: { projectKey: string; issueTypeId: string } };

function mappingOf(run: ChunkRun, record: GroupRecord, entry: GroupEntry<InboxItem>): TargetMapping {
  if (entry.join) return entry.join.mapping;
  const { config } = run;
  return (
    config.mappings.find((m) => m.id === record.mappingId) ??
    (config.defaultMapping?.id === record.mappingId ? config.defaultMapping : undefined) ?? {
      id: record.mappingId,
      projectKey: record.issue?.projectKey ?? entry.state?.projectKey ?? '',
      issueTypeId: record.issue?.issueTypeId,
      labels: [],
    }
  );
}

export async function syncGroups(run: ChunkRun, entries: ReadonlyArray<GroupEntry<InboxItem>>): Promise<void> {
  if (entries.length === 0) return;
  const foreign = [...new Set(entries.map((e) => e.join?.mapping.id ?? e.state?.lane ?? run.lane))].filter(
    (lane) => lane !== run.lane,
  );
  const held: string[] = [];
  try {
    for (const lane of foreign) {
      const lease = await run.leases.take(lane);
      if (lease.acquired) held.push(lane);
    }
    const mine = entries.filter((e) => {
      const lane = e.join?.mapping.id ?? e.state?.lane ?? run.lane;
      return lane === run.lane || held.includes(lane);
    });
    if (mine.length < entries.length)
      run.defer(
        new TransientError(`Another consumer is syncing a lane this chunk's groups belong to`, 30_000, 'lane-busy'),
      );
    await syncOwnedGroups(run, mine);
  } finally {
    for (const lane of held) await run.leases.release(lane);
  }
}

async function syncOwnedGroups(run: ChunkRun, entries: ReadonlyArray<GroupEntry<InboxItem>>): Promise<void> {
  const ids = [...new Set(entries.map((e) => e.groupId))];
  const stored = await run.deps.groups.getMany(ids);
  const work = new Map<string, Work>();
  for (const entry of entries) {
    let w = work.get(entry.groupId);
    if (!w) {
      const scanner = entry.item.finding.scanner ?? entry.item.source;
      const record =
        stored.get(entry.groupId) ??
        (entry.join
          ? newGroupRecord({
              groupId: entry.groupId,
              mapping: entry.join.mapping,
              group: entry.join.group,
              scanner,
              now: run.now,
            })
          : undefined);
      if (!record) {
        // A member whose group record is gone (never expected): nothing to show it in; left as it is.
        run.count('unchanged', entry.item.findingKey);
        continue;
      }
      w = { record, mapping: mappingOf(run, record, entry), entries: [], failed: false, outcome: 'unchanged' };
      work.set(entry.groupId, w);
    }
    w.entries.push(entry);
  }
  for (const w of work.values())
    w.record = upsertMembers(
      w.record,
      w.entries.map((e) => e.item),
      run.now,
    );

  // A group issue deleted in Jira (recorded by the Jira → platform flow): `onDeletedIssue` applies.
  const linkedIds = [...work.values()].filter((w) => w.record.issue).map((w) => w.record.groupId);
  for (const [groupId, deletion] of await run.deps.states.getDeletions(linkedIds)) {
    const w = work.get(groupId)!;
    if (deletion.issueId === w.record.issue?.issueId) groupIssueDeleted(run, w);
  }
  await recoverPendingGroups(run, [...work.values()]);
  for (const w of work.values()) {
    if (!w.record.issue) continue;
    try {
      await updateGroupIssue(run, w);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      run.defer(error);
      work.delete(w.record.groupId); // not written: the retry does it again
    }
  }
  await createGroupIssues(
    run,
    [...work.values()].filter((w) => !w.record.issue && !w.failed),
  );
  await recordGroups(run, [...work.values()]);
}

/**
 * Pending groups whose issue a crashed attempt created: found by the group id in the link property. A group not
 * found whose mark is younger than the index lag waits (`failed`: not created, not written, members untouched).
 */
async function recoverPendingGroups(run: ChunkRun, works: Work[]): Promise<void> {
  const pending = works.filter((w) => !w.record.issue && w.record.pendingCreateSince !== undefined);
  if (pending.length === 0) return;
  const found = await run.deps.jira.findIssuesByFindingKeys(pending.map((w) => w.record.groupId));
  for (const w of pending) {
    const issue = found.find((f) => f.findingKey === w.record.groupId);
    if (!issue) {
      // Jira's search index lags: an empty search proves there is no issue only for an old enough mark.
      const againMs = searchAgainInMs(w.record.pendingCreateSince!, run.now);
      if (againMs > 0) {
        const message = `The issue of group ${w.record.label} may exist in Jira but not be searchable yet`;
        run.defer(new TransientError(message, againMs, 'search-index-lag'));
        w.failed = true; // neither created nor linked in this attempt: the retry searches again
      }
      continue;
    }
    const { pendingCreateSince: _mark, ...rest } = w.record;
    w.record = {
      ...rest,
      issue: { issueId: issue.issueId, issueKey: issue.issueKey, projectKey: w.mapping.projectKey },
    };
    w.outcome = 'recovered'; // `written` is unknown: the update brings the issue to the current members
  }
}

async function createGroupIssues(run: ChunkRun, works: Work[]): Promise<void> {
  if (works.length === 0) return;
  const ready: Array<{ w: Work; request: ReturnType<typeof buildGroupCreateRequest> }> = [];
  for (const w of works) {
    try {
      const meta = await run.metaFor(w.mapping);
      const source = w.entries[0]!.item.source;
      ready.push({
        w,
        request: buildGroupCreateRequest(w.record, { mapping: w.mapping, config: run.config, meta, source }),
      });
      w.record = { ...w.record, issue: undefined, written: undefined, pendingCreateSince: run.now.toISOString() };
      w.meta = meta;
    } catch (error) {
      if (!(error instanceof JiraApiError)) throw error;
      const reason = `Project ${w.mapping.projectKey} or its issue type cannot be used: ${error.message}`;
      failMembers(run, w, reason, refusalOf(error));
    }
  }
  if (ready.length === 0) return;
  // Mark before creating: a later attempt that sees the mark searches Jira first.
  const marked = await run.deps.groups.putMany(ready.map(({ w }) => w.record));
  ready.forEach(({ w }, i) => (w.record = marked[i]!));
  for (let i = 0; i < ready.length; i += 50) {
    const slice = ready.slice(i, i + 50);
    const result = await run.deps.jira.bulkCreateIssues(slice.map((r) => r.request.request));
    for (const created of result.created) {
      const { w, request } = slice[created.index]!;
      const meta = w.meta!;
      const { pendingCreateSince: _mark, ...rest } = w.record;
      w.record = {
        ...rest,
        issue: {
          issueId: created.issueId,
          issueKey: created.issueKey,
          projectKey: meta.projectKey,
          issueTypeId: meta.issueTypeId,
        },
        written: { hash: request.hash, done: false },
      };
      w.outcome = 'created';
    }
    for (const failure of result.failed) {
      const { w } = slice[failure.index]!;
      if (failure.status === 429 || failure.status >= 500) {
        run.defer(
          new TransientError(
            `Jira could not create the group issue ${w.record.label} (${failure.status})`,
            10_000,
            'rate-limited',
          ),
        );
        w.failed = true;
        continue; // stays pending: the retry searches before creating again
      }
      failMembers(run, w, summariseJiraError(failure), failure);
    }
  }
}

/** Jira refused the group issue: each member of this chunk gets a dead letter saying why. */
function failMembers(run: ChunkRun, w: Work, reason: string, jira: Parameters<ChunkRun['deadLetter']>[4]): void {
  w.failed = true;
  for (const { item, state } of w.entries) {
    run.deadLetter(item, w.mapping.id, 'create', reason, jira);
    if (state?.outcome !== 'linked') run.write(markDead(item, state, w.mapping.id, reason, run.now));
  }
}

/** Group records, then the platform hears of new members and the issue link is stored, then member states. */
async function recordGroups(run: ChunkRun, works: Work[]): Promise<void> {
  await run.deps.groups.putMany(
    works.filter((w) => w.record.issue || w.record.pendingCreateSince).map((w) => w.record),
  );
  const memberLinks: IssueLinkRecord[] = [];
  const issueLinks: IssueLinkRecord[] = [];
  for (const w of works) {
    const issue = w.record.issue;
    if (!issue || w.failed) continue;
    if (w.outcome === 'created' || w.outcome === 'recovered')
      issueLinks.push({
        issueId: issue.issueId,
        issueKey: issue.issueKey,
        findingId: w.record.label,
        source: w.entries[0]!.item.source,
        findingKey: w.record.groupId,
        projectKey: issue.projectKey,
        mappingId: w.record.mappingId,
        linkedAt: run.now.toISOString(),
        groupId: w.record.groupId,
      });
    for (const { item, state } of w.entries) {
      const settled = !w.failed;
      const next = joinGroup(
        item,
        state,
        {
          lane: w.record.mappingId,
          groupId: w.record.groupId,
          grouping: GroupingSchema.exclude(['none']).safeParse(w.record.grouping).data,
          issue,
          findingStatus: item.finding.status,
          settled,
        },
        run.moment,
      );
      if (state?.outcome !== 'linked' || state.issueId !== issue.issueId) {
        memberLinks.push({ ...run.linkRecord(item, next), groupId: w.record.groupId });
        run.count(
          w.outcome === 'recovered' ? 'recovered' : w.outcome === 'created' ? 'created' : 'updated',
          item.findingKey,
        );
      } else run.count(w.outcome === 'unchanged' ? 'unchanged' : 'updated', item.findingKey);
      run.write(next, state);
    }
  }
  if (memberLinks.length > 0) await run.deps.linkNotifier.issuesLinked(memberLinks);
  if (issueLinks.length > 0) await run.deps.links.saveMany(issueLinks);
}
