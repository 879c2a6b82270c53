import { JiraHttpError } from '../jira-error';
import { userView } from '../representations';
import type { JiraUserRecord } from '../types';
import { queryInt, queryList, queryString, type HandlerContext, type RouteDefinition } from './handler-context';

/** Permission keys the emulator knows, with Jira's ids, names and types. */
const PERMISSIONS: Record<string, { id: string; name: string; type: 'GLOBAL' | 'PROJECT'; description: string }> = {
  ADMINISTER: {
    id: '0',
    name: 'Administer Jira',
    type: 'GLOBAL',
    description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.',
  },
  SYSTEM_ADMIN: {
    id: '44',
    name: 'Jira System Administrator',
    type: 'GLOBAL',
    description: 'Ability to perform all administration functions.',
  },
  BROWSE_PROJECTS: {
    id: '10',
    name: 'Browse Projects',
    type: 'PROJECT',
    description: 'Ability to browse projects and the issues within them.',
  },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', type: 'PROJECT', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT', description: 'Ability to edit issues.' },
  ASSIGN_ISSUES: {
    id: '13',
    name: 'Assign Issues',
    type: 'PROJECT',
    description: 'Ability to assign issues to other people.',
  },
  RESOLVE_ISSUES: {
    id: '14',
    name: 'Resolve Issues',
    type: 'PROJECT',
    description: 'Ability to resolve and reopen issues.',
  },
  ADD_COMMENTS: { id: '15', name: 'Add Comments', type: 'PROJECT', description: 'Ability to comment on issues.' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', type: 'PROJECT', description: 'Ability to delete issues.' },
  ASSIGNABLE_USER: {
    id: '17',
    name: 'Assignable User',
    type: 'PROJECT',
    description: 'Users with this permission may be assigned to issues.',
  },
  CLOSE_ISSUES: { id: '18', name: 'Close Issues', type: 'PROJECT', description: 'Ability to close issues.' },
  ADMINISTER_PROJECTS: {
    id: '23',
    name: 'Administer Projects',
    type: 'PROJECT',
    description: 'Ability to administer a project in Jira.',
  },
  TRANSITION_ISSUES: {
    id: '46',
    name: 'Transition Issues',
    type: 'PROJECT',
    description: 'Ability to transition issues.',
  },
};

function hasPermission(user: JiraUserRecord, key: string): boolean {
  if (key === 'ADMINISTER' || key === 'SYSTEM_ADMIN' || key === 'ADMINISTER_PROJECTS') return user.administer;
  if (key === 'ASSIGNABLE_USER') return user.accountType === 'atlassian';
  return true;
}

function matchesQuery(user: JiraUserRecord, query: string | undefined): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return (
    user.displayName.toLowerCase().includes(q) ||
    (user.emailAddress ?? '').toLowerCase().startsWith(q) ||
    user.accountId === query
  );
}

function page<T>(ctx: HandlerContext, items: T[]): T[] {
  const startAt = queryInt(ctx, 'startAt', 0);
  const maxResults = Math.min(queryInt(ctx, 'maxResults', 50), 1000);
  return items.slice(startAt, startAt + maxResults);
}

export const userRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    template: '/rest/api/3/user',
    handler: (ctx) => {
      const accountId = queryString(ctx, 'accountId');
      if (!accountId) throw new JiraHttpError(400, ['The accountId query parameter needs to be provided.']);
      const user = ctx.site.user(accountId);
      if (!user)
        throw new JiraHttpError(404, [`Specified user does not exist or you do not have required permissions`]);
      return { status: 200, body: userView(ctx.site, user) };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/user/search',
    handler: (ctx) => {
      const query = queryString(ctx, 'query');
      const accountId = queryString(ctx, 'accountId');
      if (!query && !accountId && !queryString(ctx, 'property')) {
        throw new JiraHttpError(400, ['One of the following parameters must be provided: query, accountId, property']);
      }
      const users = ctx.site.state.users.filter(
        (u) => u.active && matchesQuery(u, query) && (!accountId || u.accountId === accountId),
      );
      return { status: 200, body: page(ctx, users).map((u) => userView(ctx.site, u)) };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/user/assignable/search',
    handler: (ctx) => {
      const projectRef = queryString(ctx, 'project');
      const issueRef = queryString(ctx, 'issueKey') ?? queryString(ctx, 'issueId');
      if (!projectRef && !issueRef)
        throw new JiraHttpError(400, ['One of the following parameters must be provided: project, issueKey, issueId']);
      if (projectRef && !ctx.site.project(projectRef))
        throw new JiraHttpError(404, [`Project '${projectRef}' not found.`]);
      if (issueRef && !ctx.site.issue(issueRef))
        throw new JiraHttpError(404, ['Issue does not exist or you do not have permission to see it.']);
      const query = queryString(ctx, 'query');
      const accountId = queryString(ctx, 'accountId');
      const users = ctx.site.state.users.filter(
        (u) =>
          u.active &&
          hasPermission(u, 'ASSIGNABLE_USER') &&
          matchesQuery(u, query) &&
          (!accountId || u.accountId === accountId),
      );
      return { status: 200, body: page(ctx, users).map((u) => userView(ctx.site, u)) };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/mypermissions',
    handler: (ctx) => {
      const keys = queryList(ctx, 'permissions');
      if (!keys || keys.length === 0) throw new JiraHttpError(400, ['The permissions query parameter is required.']);
      const unknown = keys.filter((k) => !PERMISSIONS[k]);
      if (unknown.length > 0)
        throw new JiraHttpError(
          400,
          unknown.map((k) => `The permission key '${k}' is not valid.`),
        );
      const projectRef = queryString(ctx, 'projectKey') ?? queryString(ctx, 'projectId');
      if (projectRef && !ctx.site.project(projectRef))
        throw new JiraHttpError(404, [`No project could be found with key '${projectRef}'.`]);
      const issueRef = queryString(ctx, 'issueKey') ?? queryString(ctx, 'issueId');
      if (issueRef && !ctx.site.issue(issueRef))
        throw new JiraHttpError(404, ['Issue does not exist or you do not have permission to see it.']);
      const user = ctx.site.user(ctx.actorId)!;
      const permissions: Record<string, unknown> = {};
      for (const key of keys) {
        const p = PERMISSIONS[key]!;
        permissions[key] = {
          id: p.id,
          key,
          name: p.name,
          type: p.type,
          description: p.description,
          havePermission: hasPermission(user, key),
        };
      }
      return { status: 200, body: { permissions } };
    },
  },
];
