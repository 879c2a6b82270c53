import { route } from '@forge/api';
import { z } from 'zod';
import type { ProjectDetails, SiteField, SiteMetadata, SitePriority, SiteProject } from '../contracts/site-metadata';
import { STATUS_CATEGORY_KEYS } from '../contracts/site-metadata';
import { parseJiraBody, requestJiraAsApp } from './jira-client';

/**
 * The Jira site as the admin page needs it, read as the app (`asApp().requestJira`) and checked
 * with zod: priorities, resolutions, fields, projects with their issue types, and per project the
 * workflow statuses of each issue type and the priorities its create screens offer. Every call is
 * covered by `read:jira-work` (see the README's scopes table).
 */

/** The page lists at most this many projects; beyond it the admin types a project key. */
export const MAX_LISTED_PROJECTS = 500;
const PAGE_SIZE = 50;

const PriorityBodySchema = z.object({ id: z.string(), name: z.string(), iconUrl: z.string().optional() });
const PrioritiesSchema = z.array(PriorityBodySchema);
const CreateMetaPageSchema = z.object({
  fields: z.array(
    z.object({ fieldId: z.string(), allowedValues: z.array(z.object({ id: z.string().optional() })).optional() }),
  ),
  total: z.number().optional(),
});
const ResolutionsSchema = z.array(z.object({ id: z.string(), name: z.string() }));
const FieldsSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    custom: z.boolean().default(false),
    schema: z
      .object({
        type: z.string(),
        items: z.string().optional(),
        custom: z.string().optional(),
        system: z.string().optional(),
      })
      .optional(),
  }),
);
const IssueTypeBodySchema = z.object({ id: z.string(), name: z.string(), subtask: z.boolean().default(false) });
const ProjectBodySchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  issueTypes: z.array(IssueTypeBodySchema).default([]),
});
const ProjectPageSchema = z.object({
  values: z.array(ProjectBodySchema),
  isLast: z.boolean().optional(),
  total: z.number().optional(),
});
const CategoryKeySchema = z
  .string()
  .transform((key) =>
    (STATUS_CATEGORY_KEYS as ReadonlyArray<string>).includes(key)
      ? (key as (typeof STATUS_CATEGORY_KEYS)[number])
      : 'undefined',
  );
const ProjectStatusesSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    subtask: z.boolean().default(false),
    statuses: z.array(
      z.object({ id: z.string(), name: z.string(), statusCategory: z.object({ key: CategoryKeySchema }) }),
    ),
  }),
);

async function getJson<T extends z.ZodTypeAny>(
  operation: string,
  path: Parameters<typeof requestJiraAsApp>[1],
  schema: T,
): Promise<z.output<T>> {
  const response = await requestJiraAsApp(operation, path);
  return parseJiraBody(operation, schema, response.body);
}

/**
 * Every priority of the site: `GET /rest/api/3/priority`, which `read:jira-work` covers. (Its
 * replacement, `/priority/search`, needs `manage:jira-configuration`, a scope the app does not ask for.)
 */
async function listPriorities(): Promise<SitePriority[]> {
  const priorities = await getJson('GET /rest/api/3/priority', route`/rest/api/3/priority`, PrioritiesSchema);
  return priorities.map((p) => ({ id: p.id, name: p.name, ...(p.iconUrl ? { iconUrl: p.iconUrl } : {}) }));
}

/**
 * The priorities a project offers, from its create metadata (`read:jira-work`): the union of the
 * priority field's allowed values over the project's issue types. Empty when no screen has a priority.
 */
async function listProjectPriorityIds(projectKey: string, issueTypeIds: ReadonlyArray<string>): Promise<string[]> {
  const operation = 'GET /rest/api/3/issue/createmeta/{project}/issuetypes/{id}';
  const ids = new Set<string>();
  for (const issueTypeId of issueTypeIds) {
    for (let startAt = 0; startAt < 1000;) {
      const from = String(startAt);
      const page = await getJson(
        operation,
        route`/rest/api/3/issue/createmeta/${projectKey}/issuetypes/${issueTypeId}?maxResults=200&startAt=${from}`,
        CreateMetaPageSchema,
      );
      for (const field of page.fields) {
        if (field.fieldId === 'priority')
          for (const value of field.allowedValues ?? []) if (value.id) ids.add(value.id);
      }
      startAt += page.fields.length;
      if (page.fields.length === 0 || page.total === undefined || startAt >= page.total) break;
    }
  }
  return [...ids];
}

async function listProjects(): Promise<{ projects: SiteProject[]; truncated: boolean }> {
  const projects: SiteProject[] = [];
  for (let startAt = 0; startAt < MAX_LISTED_PROJECTS; startAt += PAGE_SIZE) {
    const page = await getJson(
      'GET /rest/api/3/project/search',
      route`/rest/api/3/project/search?expand=issueTypes&orderBy=key&startAt=${startAt}&maxResults=${PAGE_SIZE}`,
      ProjectPageSchema,
    );
    projects.push(...page.values.map((p) => ({ id: p.id, key: p.key, name: p.name, issueTypes: p.issueTypes })));
    if (page.isLast !== false || page.values.length === 0) return { projects, truncated: false };
  }
  return { projects, truncated: true };
}

/** Priorities, resolutions, fields and projects (with issue types) of the site. */
export async function loadSiteMetadata(): Promise<SiteMetadata> {
  const [priorities, resolutions, fields, projects] = await Promise.all([
    listPriorities(),
    getJson('GET /rest/api/3/resolution', route`/rest/api/3/resolution`, ResolutionsSchema),
    getJson('GET /rest/api/3/field', route`/rest/api/3/field`, FieldsSchema),
    listProjects(),
  ]);
  const siteFields: SiteField[] = fields.map((f) => ({
    id: f.id,
    name: f.name,
    custom: f.custom,
    ...(f.schema ? { schema: f.schema } : {}),
  }));
  return {
    priorities,
    resolutions,
    fields: siteFields,
    projects: projects.projects,
    projectsTruncated: projects.truncated,
  };
}

/**
 * One project's issue types with their workflow statuses, and the priorities its scheme allows. Throws
 * JiraApiError(404) for an unknown project.
 */
export async function loadProjectDetails(projectKey: string): Promise<ProjectDetails> {
  const project = await getJson(
    'GET /rest/api/3/project/{key}',
    route`/rest/api/3/project/${projectKey}?expand=issueTypes`,
    ProjectBodySchema,
  );
  const [statuses, priorityIds] = await Promise.all([
    getJson(
      'GET /rest/api/3/project/{key}/statuses',
      route`/rest/api/3/project/${project.key}/statuses`,
      ProjectStatusesSchema,
    ),
    listProjectPriorityIds(
      project.key,
      project.issueTypes.filter((type) => !type.subtask).map((type) => type.id),
    ),
  ]);
  const statusesByType = new Map(statuses.map((type) => [type.id, type]));
  const issueTypes = (project.issueTypes.length > 0 ? project.issueTypes : statuses).map((type) => ({
    id: type.id,
    name: type.name,
    subtask: type.subtask,
    statuses: (statusesByType.get(type.id)?.statuses ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      categoryKey: s.statusCategory.key,
    })),
  }));
  return { id: project.id, key: project.key, name: project.name, issueTypes, priorityIds };
}
