import { z } from 'zod';

/**
 * A Jira status (with its resolution) that the Jira → finding status map does not cover: nothing
 * is sent to the platform for it, and the admin page lists it so the admin can add a rule. One
 * record per project + status + resolution, holding the latest example. The one shape of the
 * concept: the issue-event use case reports it, storage checks it on read, and the admin contract
 * sends it as it is.
 */
export const UnmappedStatusSchema = z.object({
  projectKey: z.string(),
  mappingId: z.string(),
  statusId: z.string(),
  statusName: z.string(),
  statusCategoryKey: z.string(),
  resolutionName: z.string().nullable(),
  exampleIssueKey: z.string(),
  lastSeenAt: z.string(),
});
export type UnmappedStatus = z.output<typeof UnmappedStatusSchema>;
