import { z } from 'zod';

/**
 * Comment sync policy (admin page, Policy tab): each direction on or off (default on), and whether
 * Jira comments restricted to a role or group reach the platform (default off: a restricted
 * comment is meant for fewer eyes than the platform's).
 */
export const CommentPolicySchema = z.object({
  /** Platform comments → Jira comments. */
  toJira: z.boolean().default(true),
  /** Jira comments → `finding.comment_*` callbacks. */
  toPlatform: z.boolean().default(true),
  /** Also send Jira comments restricted to a role or group. */
  includeRestricted: z.boolean().default(false),
});
export type CommentPolicy = z.output<typeof CommentPolicySchema>;
