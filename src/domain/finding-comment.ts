import { z } from 'zod';
import { lineText, multilineText } from './text';

/**
 * A comment on a finding as the platform posts it (`finding.comments[]`, README "Ingest contract").
 * `comments` absent: the platform does not sync comments and the app leaves Jira's alone; present
 * (even `[]`): the list is the platform's whole conversation, so a comment missing from it is
 * removed from Jira (only when the app wrote it).
 *
 * A comment that came from Jira (the app's `finding.comment_added` callback names it
 * `jira-<Jira comment id>`), re-posted by the platform with that id or with `origin: "jira"`, is
 * never written back to Jira: loop safety in the platform → Jira direction.
 */

export const COMMENT_LIMITS = {
  id: 200,
  author: 200,
  body: 10_000,
  perFinding: 100,
} as const;

/** `jira-<digits>`: the id the app gives a Jira comment it reports to the platform. */
export const JIRA_COMMENT_ID = /^jira-(\d{1,20})$/;

const IsoDateTime = z.iso.datetime({ offset: true, error: 'Must be an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z' });

export const FindingCommentSchema = z.object({
  id: lineText(COMMENT_LIMITS.id),
  /** The person's display name on the platform ("Dana Reyes"). */
  author: lineText(COMMENT_LIMITS.author),
  /** Markdown. */
  body: multilineText(COMMENT_LIMITS.body).refine((body) => body.trim().length > 0, 'Must not be empty'),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime.optional(),
  /** `jira`: a comment the platform received from Jira; never sent back. */
  origin: z.enum(['platform', 'jira']).optional(),
});
export type FindingComment = z.output<typeof FindingCommentSchema>;

export const FindingCommentsSchema = z
  .array(FindingCommentSchema)
  .max(COMMENT_LIMITS.perFinding, `Must have at most ${COMMENT_LIMITS.perFinding} comments`)
  .superRefine((comments, ctx) => {
    const seen = new Set<string>();
    comments.forEach((comment, index) => {
      if (seen.has(comment.id))
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `Duplicate comment id "${comment.id}"` });
      seen.add(comment.id);
    });
  });

/** A comment that originated in Jira (and so must not be written to Jira again). */
export function isJiraOrigin(comment: FindingComment): boolean {
  return comment.origin === 'jira' || JIRA_COMMENT_ID.test(comment.id);
}
