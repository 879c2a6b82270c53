import { badRequestMessage, issueNotFound, JiraHttpError } from '../jira-error';
import { checkProperty, commitCreate, deleteIssue, editIssue, prepareCreate, transitionIssue } from '../issue-writes';
import { issueView, selectFields, transitionView } from '../representations';
import type { JiraIssueRecord } from '../types';
import { fieldMetadata } from './metadata-handlers';
import { queryBool, queryList, queryString, type HandlerContext, type RouteDefinition } from './handler-context';

export const BULK_CREATE_LIMIT = 50;

export function requireIssue(ctx: HandlerContext): JiraIssueRecord {
  const issue = ctx.site.issue(ctx.params['issueIdOrKey']!);
  if (!issue) throw issueNotFound();
  return issue;
}

/** A bulk element's server-side failure (`faults.failBulkElements`), as Jira reports it in `errors[]`. */
function elementFailure(status: 429 | 500 | 503): JiraHttpError {
  return new JiraHttpError(status, [status === 429 ? 'Rate limit exceeded.' : 'Internal server error']);
}

function createdView(ctx: HandlerContext, issue: JiraIssueRecord) {
  return { id: issue.id, key: issue.key, self: ctx.site.restUrl(`issue/${issue.id}`) };
}

function viewFor(ctx: HandlerContext, issue: JiraIssueRecord, fallbackFields: string) {
  const project = ctx.site.projectById(issue.projectId);
  return issueView(ctx.site, issue, {
    fields: selectFields(ctx.site, project, queryList(ctx, 'fields'), fallbackFields),
    expand: new Set(queryList(ctx, 'expand') ?? []),
    properties: queryList(ctx, 'properties') ?? [],
  });
}

export const issueRoutes: RouteDefinition[] = [
  {
    method: 'POST',
    template: '/rest/api/3/issue',
    handler: (ctx) => {
      const prepared = prepareCreate(ctx.site, ctx.body, ctx.actor);
      const result = commitCreate(ctx.site, prepared.issue, ctx.actor);
      ctx.emit(result.events);
      return { status: 201, body: createdView(ctx, result.issue) };
    },
  },
  {
    method: 'POST',
    template: '/rest/api/3/issue/bulk',
    handler: (ctx) => {
      const body = ctx.body as { issueUpdates?: unknown };
      const updates = Array.isArray(body?.issueUpdates) ? body.issueUpdates : undefined;
      if (!updates || updates.length === 0)
        throw badRequestMessage('Nothing to create. Provide at least one issue in issueUpdates.');
      if (updates.length > BULK_CREATE_LIMIT) {
        throw badRequestMessage(
          `Bulk create is limited to ${BULK_CREATE_LIMIT} issues per request; ${updates.length} were sent.`,
        );
      }
      const issues: unknown[] = [];
      const errors: unknown[] = [];
      const elementFaults = ctx.takeBulkElementFaults();
      updates.forEach((update, index) => {
        const fault = elementFaults.get(index);
        try {
          if (fault && !fault.created) throw elementFailure(fault.status);
          const prepared = prepareCreate(ctx.site, update, ctx.actor);
          const result = commitCreate(ctx.site, prepared.issue, ctx.actor);
          ctx.emit(result.events);
          if (fault) throw elementFailure(fault.status); // created, but reported as failed
          issues.push(createdView(ctx, result.issue));
        } catch (error) {
          if (!(error instanceof JiraHttpError)) throw error;
          errors.push({
            status: error.status,
            elementErrors: { errorMessages: error.errorMessages, errors: error.errors, status: error.status },
            failedElementNumber: index,
          });
        }
      });
      return { status: issues.length > 0 ? 201 : 400, body: { issues, errors } };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}',
    handler: (ctx) => ({ status: 200, body: viewFor(ctx, requireIssue(ctx), '*all') }),
  },
  {
    method: 'PUT',
    template: '/rest/api/3/issue/{issueIdOrKey}',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      ctx.guardIssueWrite(issue);
      const result = editIssue(ctx.site, issue, ctx.body, ctx.actor, {
        overrideScreenSecurity: queryBool(ctx, 'overrideScreenSecurity'),
      });
      ctx.emit(result.events);
      if (queryBool(ctx, 'returnIssue')) return { status: 200, body: viewFor(ctx, issue, '*all') };
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    template: '/rest/api/3/issue/{issueIdOrKey}',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      ctx.guardIssueWrite(issue);
      const result = deleteIssue(ctx.site, issue, ctx.actor);
      ctx.emit(result.events);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}/editmeta',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const project = ctx.site.projectById(issue.projectId);
      const fields: Record<string, unknown> = {};
      for (const id of project.editScreen.fields) {
        const field = ctx.site.field(id);
        if (field) fields[id] = fieldMetadata(ctx.site, project, project.editScreen, field);
      }
      return { status: 200, body: { fields } };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}/transitions',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const withFields = (queryString(ctx, 'expand') ?? '').split(',').includes('transitions.fields');
      const only = queryString(ctx, 'transitionId');
      const transitions = ctx.site.availableTransitions(issue).filter((t) => !only || t.id === only);
      return {
        status: 200,
        body: { expand: 'transitions', transitions: transitions.map((t) => transitionView(ctx.site, t, withFields)) },
      };
    },
  },
  {
    method: 'POST',
    template: '/rest/api/3/issue/{issueIdOrKey}/transitions',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      ctx.guardIssueWrite(issue);
      const result = transitionIssue(ctx.site, issue, ctx.body, ctx.actor);
      ctx.emit(result.events);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}/properties',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      return {
        status: 200,
        body: {
          keys: Object.keys(issue.properties).map((key) => ({
            self: ctx.site.restUrl(`issue/${issue.id}/properties/${encodeURIComponent(key)}`),
            key,
          })),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const key = ctx.params['propertyKey']!;
      if (!(key in issue.properties)) throw new JiraHttpError(404, [`The property with key '${key}' does not exist.`]);
      return { status: 200, body: { key, value: issue.properties[key] } };
    },
  },
  {
    method: 'PUT',
    template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const key = ctx.params['propertyKey']!;
      const raw = ctx.rawBody?.trim();
      if (!raw) throw new JiraHttpError(400, ['The property value must be a valid, non-empty JSON value.']);
      checkProperty(key, raw);
      ctx.guardIssueWrite(issue);
      const existed = key in issue.properties;
      issue.properties[key] = ctx.body;
      return { status: existed ? 200 : 201 };
    },
  },
  {
    method: 'DELETE',
    template: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const key = ctx.params['propertyKey']!;
      if (!(key in issue.properties)) throw new JiraHttpError(404, [`The property with key '${key}' does not exist.`]);
      ctx.guardIssueWrite(issue);
      delete issue.properties[key];
      return { status: 204 };
    },
  },
];
