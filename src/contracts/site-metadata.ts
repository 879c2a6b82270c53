import { z } from 'zod';

/**
 * What the admin page knows about the Jira site it configures: the real priorities, resolutions,
 * fields and projects (with issue types), and per project its workflow statuses and the priorities
 * its priority scheme allows. Shared by src/jira/site-metadata.ts (which builds it from Jira's
 * answers) and static/admin (which offers only these values in its pickers).
 */

export const STATUS_CATEGORY_KEYS = ['new', 'indeterminate', 'done', 'undefined'] as const;

export const JiraRefSchema = z.object({ id: z.string(), name: z.string() });
export type JiraRef = z.infer<typeof JiraRefSchema>;

export const SitePrioritySchema = z.object({ id: z.string(), name: z.string(), iconUrl: z.string().optional() });
export type SitePriority = z.infer<typeof SitePrioritySchema>;

export const SiteFieldSchema = z.object({
  id: z.string(),
  name: z.string(),
  custom: z.boolean(),
  /** Jira's `schema` of the field; absent for a few system fields. */
  schema: z
    .object({
      type: z.string(),
      items: z.string().optional(),
      custom: z.string().optional(),
      system: z.string().optional(),
    })
    .optional(),
});
export type SiteField = z.infer<typeof SiteFieldSchema>;

export const SiteIssueTypeSchema = z.object({ id: z.string(), name: z.string(), subtask: z.boolean() });
export type SiteIssueType = z.infer<typeof SiteIssueTypeSchema>;

export const SiteProjectSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  issueTypes: z.array(SiteIssueTypeSchema),
});
export type SiteProject = z.infer<typeof SiteProjectSchema>;

export const SiteMetadataSchema = z.object({
  priorities: z.array(SitePrioritySchema),
  resolutions: z.array(JiraRefSchema),
  fields: z.array(SiteFieldSchema),
  projects: z.array(SiteProjectSchema),
  /** True when the site has more projects than the page lists (search by key instead). */
  projectsTruncated: z.boolean(),
});
export type SiteMetadata = z.infer<typeof SiteMetadataSchema>;

export const WorkflowStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  categoryKey: z.enum(STATUS_CATEGORY_KEYS),
});
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;

export const ProjectDetailsSchema = z.object({
  key: z.string(),
  id: z.string(),
  name: z.string(),
  issueTypes: z.array(SiteIssueTypeSchema.extend({ statuses: z.array(WorkflowStatusSchema) })),
  /** Ids of the priorities the project's priority scheme allows. */
  priorityIds: z.array(z.string()),
});
export type ProjectDetails = z.infer<typeof ProjectDetailsSchema>;

/** Every status of a project's workflows, once each (issue types often share a workflow). */
export function listProjectStatuses(
  project: ProjectDetails,
  issueType?: { id?: string; name?: string },
): WorkflowStatus[] {
  const types = project.issueTypes.filter(
    (type) =>
      !issueType ||
      (issueType.id !== undefined
        ? type.id === issueType.id
        : type.name.toLowerCase() === issueType.name?.toLowerCase()),
  );
  const seen = new Map<string, WorkflowStatus>();
  for (const type of types) for (const status of type.statuses) if (!seen.has(status.id)) seen.set(status.id, status);
  return [...seen.values()];
}
