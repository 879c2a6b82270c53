import { createHash } from 'node:crypto';
import { z } from 'zod';
import { JiraHttpError } from '../jira-error';
import { compileJqlSearch } from '../jql-search';
import { issueView, selectFields } from '../representations';
import { MAX_RECONCILE_ISSUES } from '../search-index';
import { queryList, queryString, type HandlerContext, type RouteDefinition } from './handler-context';

/**
 * `/rest/api/3/search/jql` (GET and POST): cursor paging with `nextPageToken` / `isLast`. The
 * default `fields` is `id` (unlike GET issue); page size is capped at 5,000 for id/key-only
 * requests and at 100 otherwise, as Jira documents.
 */

const PageTokenSchema = z.object({ o: z.number().int().min(0), h: z.string() });

interface SearchInput {
  jql: string;
  nextPageToken?: string;
  maxResults: number;
  fields?: string[];
  expand: string[];
  properties: string[];
  reconcileIssues: string[];
}

function queryHash(jql: string): string {
  return createHash('sha256').update(jql).digest('hex').slice(0, 16);
}

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, h: queryHash(jql) })).toString('base64url');
}

function decodeToken(token: string, jql: string): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = PageTokenSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.h !== queryHash(jql))
    throw new JiraHttpError(400, ['The provided next page token is invalid or expired.']);
  return parsed.data.o;
}

function runSearch(ctx: HandlerContext, input: SearchInput) {
  const search = compileJqlSearch(ctx.site, input.jql, {
    currentAccountId: ctx.actor.kind === 'user' ? ctx.actorId : null,
    propertyIndex: ctx.propertyIndex,
  });
  if (input.reconcileIssues.length > MAX_RECONCILE_ISSUES)
    throw new JiraHttpError(400, [`reconcileIssues accepts at most ${MAX_RECONCILE_ISSUES} issue ids.`]);
  const indexed = ctx.searchIndex.view(ctx.site.state.issues, new Set(input.reconcileIssues));
  const visible = indexed.filter((issue) => search.matches(issue));
  visible.sort(search.compare);
  const idOnly = (input.fields ?? ['id']).every((f) => f === 'id' || f === 'key');
  const cap = idOnly ? 5000 : 100;
  const pageSize = Math.max(1, Math.min(input.maxResults, cap));
  const offset = input.nextPageToken ? decodeToken(input.nextPageToken, input.jql) : 0;
  const page = visible.slice(offset, offset + pageSize);
  const isLast = offset + page.length >= visible.length;
  const expand = new Set(input.expand);
  const issues = page.map((issue) => {
    const project = ctx.site.projectById(issue.projectId);
    return issueView(ctx.site, issue, {
      fields: selectFields(ctx.site, project, input.fields, 'id'),
      expand,
      properties: input.properties,
    });
  });
  return {
    status: 200,
    body: { issues, ...(isLast ? {} : { nextPageToken: encodeToken(offset + page.length, input.jql) }), isLast },
  };
}

const SearchBodySchema = z.object({
  jql: z.string().optional(),
  nextPageToken: z.string().optional(),
  maxResults: z.number().int().optional(),
  fields: z.array(z.string()).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
  failFast: z.boolean().optional(),
  reconcileIssues: z.array(z.number().int()).optional(),
});

export const searchRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    template: '/rest/api/3/search/jql',
    handler: (ctx) => {
      const max = Number(queryString(ctx, 'maxResults') ?? 50);
      const fields = queryList(ctx, 'fields');
      return runSearch(ctx, {
        jql: queryString(ctx, 'jql') ?? '',
        ...(queryString(ctx, 'nextPageToken') ? { nextPageToken: queryString(ctx, 'nextPageToken')! } : {}),
        maxResults: Number.isInteger(max) ? max : 50,
        ...(fields ? { fields } : {}),
        expand: queryList(ctx, 'expand') ?? [],
        properties: queryList(ctx, 'properties') ?? [],
        reconcileIssues: queryList(ctx, 'reconcileIssues') ?? [],
      });
    },
  },
  {
    method: 'POST',
    template: '/rest/api/3/search/jql',
    handler: (ctx) => {
      const parsed = SearchBodySchema.safeParse(ctx.body);
      if (!parsed.success)
        throw new JiraHttpError(
          400,
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        );
      const b = parsed.data;
      return runSearch(ctx, {
        jql: b.jql ?? '',
        ...(b.nextPageToken ? { nextPageToken: b.nextPageToken } : {}),
        maxResults: b.maxResults ?? 50,
        ...(b.fields ? { fields: b.fields.flatMap((f) => f.split(',')) } : {}),
        expand: (b.expand ?? '').split(',').filter(Boolean),
        properties: b.properties ?? [],
        reconcileIssues: (b.reconcileIssues ?? []).map(String),
      });
    },
  },
];
