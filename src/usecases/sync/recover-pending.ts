import type { FindingState, LinkedState } from '../../domain/finding-state';
import { recoverLink } from '../../domain/finding-state-transitions';
import type { IssueTypeMeta } from '../../domain/issue-fields';
import type { InboxItem, IssueLinkRecord } from '../ports';
import type { ChunkRun } from './chunk-run';

/**
 * Pending marks left by an attempt that died between the mark and the link: the issue may exist.
 * Jira is searched by the finding key that every create request stores in an entity property (set
 * inside the create itself, so an issue never exists without it) — before anything is created.
 */

export type FoundIssue = { issueId: string; issueKey: string };

/**
 * Issues already in Jira for the group's pending findings, by finding key (one JQL search; none when nothing is
 * pending).
 */
export async function findPendingIssues(
  run: ChunkRun,
  entries: ReadonlyArray<{ item: InboxItem; state: FindingState | undefined }>,
): Promise<Map<string, FoundIssue>> {
  const found = new Map<string, FoundIssue>();
  const pending = entries.filter((entry) => entry.state?.outcome === 'pending');
  if (pending.length === 0) return found;
  for (const issue of await run.deps.jira.findIssuesByFindingKeys(pending.map((entry) => entry.item.findingKey))) {
    if (!found.has(issue.findingKey)) found.set(issue.findingKey, { issueId: issue.issueId, issueKey: issue.issueKey });
  }
  return found;
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
