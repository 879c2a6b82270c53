import {
  isEmptyPlan,
  planCommentSync,
  type AppCommentEntry,
  type AppCommentRecord,
  type CommentMarker,
} from '../domain/comment-sync';
import type { FindingComment } from '../domain/finding-comment';
import type { FindingState } from '../domain/finding-state';
import type { AppCommentStore, CommentGateway } from './comment-ports';
import { JiraApiError } from './errors';
import type { InboxItem, Logger } from './ports';

/**
 * Platform → Jira comments for the findings of one sync chunk (after their issues are created or
 * updated, under the lane's lease): a new comment → one Jira comment, an edited one → one edit, a
 * removed one → one delete (only comments the app wrote), an unchanged one → nothing.
 *
 * Exactly once, like issue creation: new comments are marked `pending` in the issue's record
 * before the POST, and each POST carries a marker (comment entity property: platform comment id,
 * finding key, hash). A record with pending marks — a crash between the POST and the record — is
 * recovered first: the issue's comment ids, then their markers (`comment/list?expand=properties`);
 * a marked comment is adopted, an unmarked pending one is posted. Crash points:
 * - pending marks written → the next attempt finds no marker → posts them (once)
 * - a POST reached Jira → the next attempt finds its marker → adopts it, no second POST
 * - record written → unchanged comments cost nothing
 * A Jira comment the app wrote and someone deleted in Jira stays deleted (`removed-in-jira`).
 */

export type CommentSyncDeps = { jira: CommentGateway; records: AppCommentStore; logger: Logger };

export type CommentSyncSubject = {
  findingKey: string;
  source: string;
  issueId: string;
  issueKey: string;
  comments: ReadonlyArray<FindingComment>;
};

export type CommentSyncCounts = {
  created: number;
  updated: number;
  deleted: number;
  recovered: number;
  echoes: number;
  refused: number;
};

type Entries = Record<string, AppCommentEntry>;

async function recoverPending(
  subject: CommentSyncSubject,
  entries: Entries,
  deps: CommentSyncDeps,
  counts: CommentSyncCounts,
): Promise<boolean> {
  const ids = await deps.jira.listCommentIds(subject.issueId);
  if (ids === undefined) return false;
  const known = new Set(Object.values(entries).map((e) => e.jiraCommentId));
  const markers = await deps.jira.readMarkers(ids.filter((id) => !known.has(id)));
  for (const [jiraCommentId, marker] of markers) {
    const entry = entries[marker.commentId];
    if (marker.findingKey !== subject.findingKey || entry?.state !== 'pending') continue;
    entries[marker.commentId] = { jiraCommentId, hash: marker.hash, state: 'written' };
    counts.recovered += 1;
  }
  // Pending marks without a comment in Jira: the POST never reached it; the plan posts them.
  for (const [id, entry] of Object.entries(entries)) if (entry.state === 'pending') delete entries[id];
  return true;
}

async function syncOne(
  subject: CommentSyncSubject,
  record: AppCommentRecord | undefined,
  deps: CommentSyncDeps,
  counts: CommentSyncCounts,
) {
  const entries: Entries = { ...(record?.entries ?? {}) };
  const hadPending = Object.values(entries).some((e) => e.state === 'pending');
  if (hadPending && !(await recoverPending(subject, entries, deps, counts))) return;
  const plan = planCommentSync({
    comments: subject.comments,
    record: { ...subject, entries },
    platformName: subject.source,
  });
  counts.echoes += plan.echoes;
  if (isEmptyPlan(plan)) {
    if (hadPending) await deps.records.put({ issueId: subject.issueId, findingKey: subject.findingKey, entries });
    return;
  }
  const save = () => deps.records.put({ issueId: subject.issueId, findingKey: subject.findingKey, entries });
  const marker = (commentId: string, hash: string): CommentMarker => ({
    commentId,
    findingKey: subject.findingKey,
    hash,
  });
  if (plan.create.length > 0) {
    for (const write of plan.create) entries[write.comment.id] = { hash: write.hash, state: 'pending' };
    await save();
  }
  try {
    for (const write of plan.create) {
      try {
        const id = await deps.jira.addComment(subject.issueId, write.body, marker(write.comment.id, write.hash));
        if (id === undefined) return; // the issue is gone: the sync's next look at it handles that
        entries[write.comment.id] = { jiraCommentId: id, hash: write.hash, state: 'written' };
        counts.created += 1;
      } catch (error) {
        if (!(error instanceof JiraApiError)) throw error;
        delete entries[write.comment.id];
        counts.refused += 1;
        deps.logger.warn('jira refused a comment', { issueKey: subject.issueKey, status: error.status });
      }
    }
    for (const write of plan.update) {
      const done = await deps.jira.updateComment(
        subject.issueId,
        write.jiraCommentId,
        write.body,
        marker(write.comment.id, write.hash),
      );
      entries[write.comment.id] = done
        ? { jiraCommentId: write.jiraCommentId, hash: write.hash, state: 'written' }
        : { jiraCommentId: write.jiraCommentId, hash: write.hash, state: 'removed-in-jira' };
      if (done) counts.updated += 1;
    }
    for (const removal of plan.remove) {
      await deps.jira.deleteComment(subject.issueId, removal.jiraCommentId);
      delete entries[removal.commentId];
      counts.deleted += 1;
    }
  } finally {
    await save();
  }
}

/** Syncs the comments of the chunk's findings that carry `comments` and are linked to an issue of their own. */
export async function syncChunkComments(
  items: ReadonlyArray<InboxItem>,
  states: ReadonlyMap<string, FindingState>,
  deps: CommentSyncDeps,
): Promise<CommentSyncCounts> {
  const counts: CommentSyncCounts = { created: 0, updated: 0, deleted: 0, recovered: 0, echoes: 0, refused: 0 };
  const subjects: CommentSyncSubject[] = [];
  for (const item of items) {
    const state = states.get(item.findingKey);
    if (!item.finding.comments || state?.outcome !== 'linked' || state.groupId !== undefined) continue;
    subjects.push({
      findingKey: item.findingKey,
      source: item.source,
      issueId: state.issueId,
      issueKey: state.issueKey,
      comments: item.finding.comments,
    });
  }
  if (subjects.length === 0) return counts;
  const records = await deps.records.getMany(subjects.map((s) => s.issueId));
  for (const subject of subjects) await syncOne(subject, records.get(subject.issueId), deps, counts);
  if (counts.created + counts.updated + counts.deleted + counts.recovered + counts.refused > 0)
    deps.logger.info('comments synced to jira', { findings: subjects.length, ...counts });
  return counts;
}
