import type { FindingState, LinkedState } from '../../domain/finding-state';
import { recoverLink } from '../../domain/finding-state-transitions';
import type { IssueTypeMeta } from '../../domain/issue-fields';
import { searchAgainInMs } from '../../domain/search-index-lag';
import { TransientError } from '../errors';
import type { InboxItem, IssueLinkRecord } from '../ports';
import type { ChunkRun } from './chunk-run';

/**
 * Pending marks left by an attempt that died between the mark and the link: the issue may exist.
 * Jira is searched by the finding key that every create request stores in an entity property (set
 * inside the create itself, so an issue never exists without it) — before anything is created.
 * Jira's search index lags: an empty search proves absence only for a mark older than the lag
 * (`domain/search-index-lag.ts`); a younger one waits for the chunk's retry, uncreated, which searches again
 * within 30 s (most writes are searchable within seconds) and creates once the mark is old enough.
 */

export type FoundIssue = { issueId: string; issueKey: string };

/**
 * Issues already in Jira for the group's pending findings, by finding key (one JQL search; none when nothing is
 * pending), and the pending findings not found whose mark is too young for an empty search to prove anything
 * (`unsure`: neither linked nor created in this attempt; the chunk is retried once the lag has passed).
 */
export async function findPendingIssues(
  run: ChunkRun,
  entries: ReadonlyArray<{ item: InboxItem; state: FindingState | undefined }>,
): Promise<{ found: Map<string, FoundIssue>; unsure: Set<string> }> {
  const found = new Map<string, FoundIssue>();
  const unsure = new Set<string>();
  const pending = entries.filter((entry) => entry.state?.outcome === 'pending');
  if (pending.length === 0) return { found, unsure };
  for (const issue of await run.deps.jira.findIssuesByFindingKeys(pending.map((entry) => entry.item.findingKey))) {
    if (!found.has(issue.findingKey)) found.set(issue.findingKey, { issueId: issue.issueId, issueKey: issue.issueKey });
  }
  for (const { item, state } of pending) {
    if (found.has(item.findingKey) || state?.outcome !== 'pending') continue;
    const againMs = searchAgainInMs(state.pendingCreateSince, run.now);
    if (againMs === 0) continue;
    unsure.add(item.findingKey);
    run.defer(
      new TransientError(
        `An issue for ${item.finding.id} may exist in Jira but not be searchable yet`,
        againMs,
        'search-index-lag',
      ),
    );
  }
  return { found, unsure };
}

/**
 * Links the found issues (state + link record); they go on to the update path, which brings them
 * to this version of the finding. Returns the recovered findings.
 */
export function linkRecovered(
  run: ChunkRun,
  entries: ReadonlyArray<{ item: InboxItem; state: FindingState | undefined }>,
  found: ReadonlyMap<string, FoundIssue>,
  lane: string,
  meta: IssueTypeMeta,
  links: IssueLinkRecord[],
): Array<{ item: InboxItem; state: LinkedState }> {
  const recovered: Array<{ item: InboxItem; state: LinkedState }> = [];
  for (const { item, state } of entries) {
    const issue = found.get(item.findingKey);
    if (!issue || state?.outcome !== 'pending') continue;
    const linked = recoverLink(
      item,
      state,
      lane,
      { ...issue, projectKey: meta.projectKey, issueTypeId: meta.issueTypeId },
      run.now,
    );
    links.push(run.linkRecord(item, linked));
    run.write(linked);
    run.count('recovered', item.findingKey);
    recovered.push({ item, state: linked });
  }
  return recovered;
}
