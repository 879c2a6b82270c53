import { JiraHttpError, projectNotFound } from '../jira-error';
import type { JiraSite } from '../jira-site';
import {
  fieldView,
  issueTypeView,
  priorityView,
  projectView,
  resolutionView,
  statusCategoryView,
  statusView,
  userView,
} from '../representations';
import { STATUS_CATEGORIES } from '../seed-site';
import type { JiraFieldRecord, JiraProjectRecord, JiraScreenRecord } from '../types';
import {
  paginate,
  queryInt,
  queryList,
  queryString,
  type HandlerContext,
  type RouteDefinition,
} from './handler-context';

function requireProject(ctx: HandlerContext, idOrKey: string): JiraProjectRecord {
  const project = ctx.site.project(idOrKey);
  if (!project) throw projectNotFound(idOrKey);
  return project;
}

/** `FieldMetadata` / `FieldCreateMetadata` of one field on one screen. */
export function fieldMetadata(
  site: JiraSite,
  project: JiraProjectRecord,
  screen: JiraScreenRecord,
  field: JiraFieldRecord,
  issueTypeId?: string,
  forCreate = false,
) {
  const scheme = site.projectPriorityScheme(project);
  let allowedValues: unknown[] | undefined;
  let defaultValue: unknown;
  switch (field.kind) {
    case 'priority':
      allowedValues = scheme.priorityIds.map((id) => priorityView(site, site.priority(id)!));
      defaultValue = priorityView(site, site.priority(scheme.defaultPriorityId)!);
      break;
    case 'select':
    case 'multiselect':
      allowedValues = (field.options ?? []).map((o) => ({
        self: site.restUrl(`customFieldOption/${o.id}`),
        value: o.value,
        id: o.id,
      }));
      break;
    case 'resolution':
      allowedValues = site.state.resolutions.map((r) => resolutionView(site, r));
      break;
    case 'issuetype':
      allowedValues = project.issueTypeIds
        .filter((id) => !issueTypeId || id === issueTypeId)
        .map((id) => issueTypeView(site, site.issueType(id)!));
      break;
    case 'project':
      allowedValues = [
        {
          self: site.restUrl(`project/${project.id}`),
          id: project.id,
          key: project.key,
          name: project.name,
          projectTypeKey: project.projectTypeKey,
          simplified: false,
        },
      ];
      break;
  }
  const operations =
    field.kind === 'labels' || field.kind === 'multiselect'
      ? ['add', 'set', 'remove']
      : field.kind === 'issuetype' || field.kind === 'project'
        ? []
        : ['set'];
  return {
    required: screen.required.includes(field.id),
    schema: field.schema,
    name: field.name,
    key: field.id,
    ...(forCreate ? { fieldId: field.id } : {}),
    ...(field.kind === 'user' ? { autoCompleteUrl: site.restUrl(`user/search?query=`) } : {}),
    ...(field.kind === 'labels' ? { autoCompleteUrl: `${site.baseUrl}/rest/api/1.0/labels/suggest?query=` } : {}),
    hasDefaultValue: defaultValue !== undefined,
    operations,
    ...(allowedValues ? { allowedValues } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
  };
}

function screenFieldMetadata(
  site: JiraSite,
  project: JiraProjectRecord,
  screen: JiraScreenRecord,
  issueTypeId?: string,
) {
  return screen.fields
    .map((id) => site.field(id))
    .filter((f): f is JiraFieldRecord => Boolean(f))
    .map((f) => fieldMetadata(site, project, screen, f, issueTypeId, true));
}

export const metadataRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    template: '/rest/api/3/myself',
    handler: (ctx) => {
      const user = ctx.site.user(ctx.actorId)!;
      return { status: 200, body: { ...userView(ctx.site, user), locale: 'en_US' } };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/serverInfo',
    handler: (ctx) => ({
      status: 200,
      body: {
        baseUrl: ctx.site.baseUrl,
        displayUrl: ctx.site.baseUrl,
        version: '1001.0.0-SNAPSHOT',
        versionNumbers: [1001, 0, 0],
        deploymentType: 'Cloud',
        buildNumber: 100292,
        buildDate: '2026-02-01T00:00:00.000+0000',
        serverTime: ctx.site.timestamp(),
        scmInfo: 'sandbox',
        serverTitle: 'Jira',
        serverTimeZone: 'Etc/UTC',
      },
    }),
  },
  {
    method: 'GET',
    template: '/rest/api/3/project/search',
    handler: (ctx) => {
      const keys = queryList(ctx, 'keys');
      const ids = queryList(ctx, 'id');
      const text = queryString(ctx, 'query')?.toLowerCase();
      const expand = new Set(queryList(ctx, 'expand') ?? []);
      let projects = [...ctx.site.state.projects];
      if (keys) projects = projects.filter((p) => keys.map((k) => k.toUpperCase()).includes(p.key));
      if (ids) projects = projects.filter((p) => ids.includes(p.id));
      if (text)
        projects = projects.filter((p) => p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text));
      const orderBy = queryString(ctx, 'orderBy') ?? 'key';
      const desc = orderBy.startsWith('-');
      const by = orderBy.replace(/^[+-]/, '') === 'name' ? 'name' : 'key';
      projects.sort((a, b) => a[by].localeCompare(b[by]) * (desc ? -1 : 1));
      const startAt = queryInt(ctx, 'startAt', 0);
      const maxResults = Math.min(queryInt(ctx, 'maxResults', 50), 100);
      const page = paginate(projects, startAt, maxResults);
      return {
        status: 200,
        body: {
          self: ctx.site.restUrl(`project/search?startAt=${startAt}&maxResults=${maxResults}`),
          ...(page.isLast
            ? {}
            : {
                nextPage: ctx.site.restUrl(`project/search?startAt=${startAt + maxResults}&maxResults=${maxResults}`),
              }),
          maxResults: page.maxResults,
          startAt: page.startAt,
          total: page.total,
          isLast: page.isLast,
          values: page.values.map((p) => projectView(ctx.site, p, expand)),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/project/{projectIdOrKey}',
    handler: (ctx) => {
      const project = requireProject(ctx, ctx.params['projectIdOrKey']!);
      const expand = new Set(['description', 'lead', 'issueTypes', ...(queryList(ctx, 'expand') ?? [])]);
      return { status: 200, body: projectView(ctx.site, project, expand) };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/project/{projectIdOrKey}/statuses',
    handler: (ctx) => {
      const project = requireProject(ctx, ctx.params['projectIdOrKey']!);
      return {
        status: 200,
        body: project.issueTypeIds.map((id) => {
          const type = ctx.site.issueType(id)!;
          return {
            self: ctx.site.restUrl(`issueType/${type.id}`),
            id: type.id,
            name: type.name,
            subtask: type.subtask,
            statuses: project.workflow.statusIds.map((s) => statusView(ctx.site, ctx.site.status(s)!)),
          };
        }),
      };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issuetype/project',
    handler: (ctx) => {
      const projectId = queryString(ctx, 'projectId') ?? '';
      const project = ctx.site.state.projects.find((p) => p.id === projectId);
      if (!project) throw new JiraHttpError(404, ["No project could be found with id '" + projectId + "'."]);
      return { status: 200, body: project.issueTypeIds.map((id) => issueTypeView(ctx.site, ctx.site.issueType(id)!)) };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes',
    handler: (ctx) => {
      const project = requireProject(ctx, ctx.params['projectIdOrKey']!);
      const startAt = queryInt(ctx, 'startAt', 0);
      const maxResults = queryInt(ctx, 'maxResults', 50);
      const page = paginate(
        project.issueTypeIds.map((id) => issueTypeView(ctx.site, ctx.site.issueType(id)!)),
        startAt,
        maxResults,
      );
      return { status: 200, body: { issueTypes: page.values, maxResults, startAt, total: page.total } };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}',
    handler: (ctx) => {
      const project = requireProject(ctx, ctx.params['projectIdOrKey']!);
      const issueTypeId = ctx.params['issueTypeId']!;
      if (!project.issueTypeIds.includes(issueTypeId))
        throw new JiraHttpError(400, [
          `The issue type with id '${issueTypeId}' does not exist or is not available for project '${project.key}'.`,
        ]);
      const startAt = queryInt(ctx, 'startAt', 0);
      const maxResults = Math.min(queryInt(ctx, 'maxResults', 50), 200);
      const page = paginate(
        screenFieldMetadata(ctx.site, project, project.createScreen, issueTypeId),
        startAt,
        maxResults,
      );
      return { status: 200, body: { fields: page.values, maxResults, startAt, total: page.total } };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/field',
    handler: (ctx) => ({ status: 200, body: ctx.site.state.fields.map(fieldView) }),
  },
  {
    method: 'GET',
    template: '/rest/api/3/priority',
    handler: (ctx) => ({ status: 200, body: ctx.site.state.priorities.map((p) => priorityView(ctx.site, p)) }),
  },
  {
    method: 'GET',
    template: '/rest/api/3/priority/search',
    handler: (ctx) => {
      const projectIds = queryList(ctx, 'projectId');
      const ids = queryList(ctx, 'id');
      const onlyDefault = queryString(ctx, 'onlyDefault') === 'true';
      let priorities = ctx.site.state.priorities;
      if (projectIds) {
        const allowed = new Set(
          projectIds.flatMap((pid) => {
            const project = ctx.site.state.projects.find((p) => p.id === pid);
            return project ? ctx.site.projectPriorityScheme(project).priorityIds : [];
          }),
        );
        priorities = priorities.filter((p) => allowed.has(p.id));
      }
      if (ids) priorities = priorities.filter((p) => ids.includes(p.id));
      const defaultScheme = ctx.site.state.prioritySchemes.find((s) => s.isDefault);
      if (onlyDefault) priorities = priorities.filter((p) => p.id === defaultScheme?.defaultPriorityId);
      const startAt = queryInt(ctx, 'startAt', 0);
      const maxResults = queryInt(ctx, 'maxResults', 50);
      const page = paginate(priorities, startAt, maxResults);
      return {
        status: 200,
        body: {
          self: ctx.site.restUrl('priority/search'),
          maxResults,
          startAt,
          total: page.total,
          isLast: page.isLast,
          values: page.values.map((p) => ({
            ...priorityView(ctx.site, p),
            isDefault: p.id === defaultScheme?.defaultPriorityId,
          })),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/priorityscheme',
    handler: (ctx) => {
      const expand = new Set(queryList(ctx, 'expand') ?? []);
      const schemeIds = queryList(ctx, 'schemeId');
      let schemes = ctx.site.state.prioritySchemes;
      if (schemeIds) schemes = schemes.filter((s) => schemeIds.includes(s.id));
      if (queryString(ctx, 'onlyDefault') === 'true') schemes = schemes.filter((s) => s.isDefault);
      const startAt = queryInt(ctx, 'startAt', 0);
      const maxResults = queryInt(ctx, 'maxResults', 50);
      const page = paginate(schemes, startAt, maxResults);
      return {
        status: 200,
        body: {
          self: ctx.site.restUrl('priorityscheme'),
          maxResults,
          startAt,
          total: page.total,
          isLast: page.isLast,
          values: page.values.map((s) => {
            const projects = ctx.site.state.projects.filter((p) => p.prioritySchemeId === s.id);
            return {
              id: s.id,
              name: s.name,
              description: s.description,
              isDefault: s.isDefault,
              default: s.isDefault,
              defaultPriorityId: s.defaultPriorityId,
              self: ctx.site.restUrl(`priorityscheme/${s.id}`),
              ...(expand.has('priorities')
                ? {
                    priorities: {
                      maxResults: 50,
                      startAt: 0,
                      total: s.priorityIds.length,
                      isLast: true,
                      values: s.priorityIds.map((id, index) => ({
                        ...priorityView(ctx.site, ctx.site.priority(id)!),
                        isDefault: id === s.defaultPriorityId,
                        sequence: String(index + 1),
                      })),
                    },
                  }
                : {}),
              ...(expand.has('projects')
                ? {
                    projects: {
                      maxResults: 50,
                      startAt: 0,
                      total: projects.length,
                      isLast: true,
                      values: projects.map((p) => ({
                        id: p.id,
                        key: p.key,
                        name: p.name,
                        projectTypeKey: p.projectTypeKey,
                        self: ctx.site.restUrl(`project/${p.id}`),
                        simplified: false,
                      })),
                    },
                  }
                : {}),
            };
          }),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/priorityscheme/{schemeId}/priorities',
    handler: (ctx) => {
      const scheme = ctx.site.priorityScheme(ctx.params['schemeId']!);
      if (!scheme)
        throw new JiraHttpError(404, [`The priority scheme with ID ${ctx.params['schemeId']} was not found.`]);
      const startAt = queryInt(ctx, 'startAt', 0);
      const maxResults = queryInt(ctx, 'maxResults', 50);
      const page = paginate(scheme.priorityIds, startAt, maxResults);
      return {
        status: 200,
        body: {
          maxResults,
          startAt,
          total: page.total,
          isLast: page.isLast,
          values: page.values.map((id) => ({
            ...priorityView(ctx.site, ctx.site.priority(id)!),
            isDefault: id === scheme.defaultPriorityId,
            sequence: String(scheme.priorityIds.indexOf(id) + 1),
          })),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/status',
    handler: (ctx) => ({ status: 200, body: ctx.site.state.statuses.map((s) => statusView(ctx.site, s)) }),
  },
  {
    method: 'GET',
    template: '/rest/api/3/statuscategory',
    handler: (ctx) => ({ status: 200, body: STATUS_CATEGORIES.map((c) => statusCategoryView(ctx.site, c.id)) }),
  },
  {
    method: 'GET',
    template: '/rest/api/3/resolution',
    handler: (ctx) => ({ status: 200, body: ctx.site.state.resolutions.map((r) => resolutionView(ctx.site, r)) }),
  },
  {
    method: 'GET',
    template: '/rest/api/3/label',
    handler: (ctx) => {
      const labels = [
        ...new Set(ctx.site.state.issues.flatMap((i) => (i.values['labels'] as string[] | undefined) ?? [])),
      ].sort();
      const startAt = queryInt(ctx, 'startAt', 0);
      const maxResults = queryInt(ctx, 'maxResults', 1000);
      const page = paginate(labels, startAt, maxResults);
      return {
        status: 200,
        body: { maxResults, startAt, total: page.total, isLast: page.isLast, values: page.values },
      };
    },
  },
];

export { screenFieldMetadata };
