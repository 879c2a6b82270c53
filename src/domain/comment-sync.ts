import type { DocNode } from '@atlaskit/adf-schema';
import { doc, paragraph, strong, text } from '@atlaskit/adf-utils/builders';
import { ADF_MAX_JSON_LENGTH, markdownToAdf } from './adf';
import { isJiraOrigin, type FindingComment } from './finding-comment';
import { hashValue } from './hash';
import { stripUnsafeCharacters } from './text';

/**
 * Platform → Jira comments, pure: what the app wrote (one record per linked issue), what the
 * finding says now, and the Jira writes that bring the issue's comments in line — one per new,
 * edited or removed comment, none for an unchanged one.
 */

/** The comment entity property the app sets on each comment it writes: recovery after a crash. */
export const COMMENT_MARKER_PROPERTY = 'findingSyncComment';

export type AppCommentEntry = {
  /** Absent while `pending` (marked before the POST; the POST may or may not have reached Jira). */
  jiraCommentId?: string;
  hash: string;
  /** `removed-in-jira`: someone deleted the app's comment in Jira; it is not written again. */
  state: 'pending' | 'written' | 'removed-in-jira';
};

/** What the app wrote on one issue: platform comment id → Jira comment. */
export type AppCommentRecord = {
  issueId: string;
  findingKey: string;
  entries: Record<string, AppCommentEntry>;
};

export type CommentMarker = { commentId: string; findingKey: string; hash: string };

export type CommentWrite = { comment: FindingComment; hash: string; body: DocNode };

export type CommentPlan = {
  create: CommentWrite[];
  update: Array<CommentWrite & { jiraCommentId: string }>;
  remove: Array<{ commentId: string; jiraCommentId: string }>;
  /** Comments skipped because they came from Jira (loop safety). */
  echoes: number;
};

/** What identifies a comment's rendering: a change in it is an edit in Jira. */
export function commentHash(comment: FindingComment, platformName: string): string {
  return hashValue({ author: comment.author, body: comment.body, platform: platformName }).slice(0, 24);
}

/** "**Dana Reyes** on conviso:" and the Markdown body, within Jira's size limit. */
export function buildCommentAdf(comment: FindingComment, platformName: string): DocNode {
  const header = paragraph(
    strong(stripUnsafeCharacters(comment.author, false)),
    text(` on ${stripUnsafeCharacters(platformName, false)}:`),
  );
  const headerLength = JSON.stringify(header).length + 64;
  const body = markdownToAdf(comment.body, ADF_MAX_JSON_LENGTH - headerLength);
  return doc(header, ...(body.content as Parameters<typeof doc>));
}

export function planCommentSync(input: {
  comments: ReadonlyArray<FindingComment>;
  record: AppCommentRecord | undefined;
  platformName: string;
}): CommentPlan {
  const entries = input.record?.entries ?? {};
  const plan: CommentPlan = { create: [], update: [], remove: [], echoes: 0 };
  const present = new Set<string>();
  for (const comment of input.comments) {
    if (isJiraOrigin(comment)) {
      plan.echoes += 1;
      continue;
    }
    present.add(comment.id);
    const hash = commentHash(comment, input.platformName);
    const entry = entries[comment.id];
    if (entry?.state === 'removed-in-jira' || (entry?.state === 'written' && entry.hash === hash)) continue;
    const write = { comment, hash, body: buildCommentAdf(comment, input.platformName) };
    if (entry?.state === 'written' && entry.jiraCommentId)
      plan.update.push({ ...write, jiraCommentId: entry.jiraCommentId });
    else plan.create.push(write);
  }
  for (const [commentId, entry] of Object.entries(entries)) {
    if (present.has(commentId) || entry.state !== 'written' || !entry.jiraCommentId) continue;
    plan.remove.push({ commentId, jiraCommentId: entry.jiraCommentId });
  }
  return plan;
}

/** Whether the plan needs any Jira call. */
export function isEmptyPlan(plan: CommentPlan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.remove.length === 0;
}
