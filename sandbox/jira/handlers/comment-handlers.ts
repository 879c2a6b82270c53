import { createComment, deleteComment, editComment, findComment, visibleTo } from '../comment-writes';
import { badRequestMessage, JiraHttpError } from '../jira-error';
import { commentView } from '../representations';
import type { JiraCommentRecord, JiraIssueRecord } from '../types';
import { paginate, queryInt, queryList, queryString, type RouteDefinition } from './handler-context';
import { requireIssue } from './issue-handlers';

/** Issue comments: list, add, read, edit, delete, and `comment/list` (by ids, with `expand=properties`). */

/** `POST /comment/list` accepts at most 1,000 ids (the OpenAPI document's `IssueCommentListRequestBean`). */
export const COMMENT_LIST_LIMIT = 1000;

export const commentRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}/comment',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const order = queryString(ctx, 'orderBy') ?? 'created';
      const comments = issue.comments.filter((c) => visibleTo(ctx.site, ctx.actor, c));
      if (order === '-created') comments.reverse();
      const startAt = queryInt(ctx, 'startAt', 0);
      const maxResults = Math.min(100, Math.max(1, queryInt(ctx, 'maxResults', 100)));
      const page = paginate(comments, startAt, maxResults);
      return {
        status: 200,
        body: {
          startAt,
          maxResults,
          total: page.total,
          comments: page.values.map((c) => commentView(ctx.site, issue, c)),
        },
      };
    },
  },
  {
    method: 'POST',
    template: '/rest/api/3/issue/{issueIdOrKey}/comment',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      ctx.guardIssueWrite(issue);
      const { comment, events } = createComment(ctx.site, issue, ctx.body, ctx.actor);
      ctx.emit(events);
      return { status: 201, body: commentView(ctx.site, issue, comment) };
    },
  },
  {
    method: 'GET',
    template: '/rest/api/3/issue/{issueIdOrKey}/comment/{id}',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const comment = findComment(issue, ctx.params['id']!);
      if (!visibleTo(ctx.site, ctx.actor, comment))
        throw new JiraHttpError(404, [`Can not find a comment for the id: ${comment.id}.`]);
      const properties = (queryList(ctx, 'expand') ?? []).includes('properties');
      return { status: 200, body: commentView(ctx.site, issue, comment, { properties }) };
    },
  },
  {
    method: 'PUT',
    template: '/rest/api/3/issue/{issueIdOrKey}/comment/{id}',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const comment = findComment(issue, ctx.params['id']!);
      ctx.guardIssueWrite(issue);
      ctx.emit(editComment(ctx.site, issue, comment, ctx.body, ctx.actor));
      return { status: 200, body: commentView(ctx.site, issue, comment) };
    },
  },
  {
    method: 'DELETE',
    template: '/rest/api/3/issue/{issueIdOrKey}/comment/{id}',
    handler: (ctx) => {
      const issue = requireIssue(ctx);
      const comment = findComment(issue, ctx.params['id']!);
      ctx.guardIssueWrite(issue);
      ctx.emit(deleteComment(ctx.site, issue, comment, ctx.actor));
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    template: '/rest/api/3/comment/list',
    handler: (ctx) => {
      const ids = (ctx.body as { ids?: unknown }).ids;
      if (!Array.isArray(ids)) throw badRequestMessage('ids is required.');
      if (ids.length > COMMENT_LIST_LIMIT)
        throw badRequestMessage(`A maximum of ${COMMENT_LIST_LIMIT} comment IDs can be specified.`);
      const wanted = new Set(ids.map((id) => String(id)));
      const properties = (queryList(ctx, 'expand') ?? []).includes('properties');
      const found: Array<{ issue: JiraIssueRecord; comment: JiraCommentRecord }> = [];
      for (const issue of ctx.site.state.issues)
        for (const comment of issue.comments)
          if (wanted.has(comment.id) && visibleTo(ctx.site, ctx.actor, comment)) found.push({ issue, comment });
      found.sort((a, b) => Number(a.comment.id) - Number(b.comment.id));
      const page = paginate(found, 0, COMMENT_LIST_LIMIT);
      return {
        status: 200,
        body: {
          ...page,
          values: page.values.map(({ issue, comment }) => commentView(ctx.site, issue, comment, { properties })),
        },
      };
    },
  },
];
