import { route } from '@forge/api';
import { z } from 'zod';
import { COMMENT_MARKER_PROPERTY, type CommentMarker } from '../domain/comment-sync';
import type { CommentGateway } from '../usecases/comment-ports';
import { JiraApiError } from '../usecases/errors';
import { parseJiraBody, requestJiraAsApp } from './jira-client';

/**
 * Jira REST v3 comments as the app (scopes `read:jira-work`, `write:jira-work`): add, edit and
 * delete with the app's marker as a comment entity property, list an issue's comment ids, and read
 * the markers back (`POST /comment/list?expand=properties`) when recovering after a crash.
 */

const CreatedCommentSchema = z.object({ id: z.string() });
const CommentPageSchema = z.object({
  startAt: z.number().int(),
  maxResults: z.number().int(),
  total: z.number().int(),
  comments: z.array(z.object({ id: z.string() })),
});
const MarkerSchema = z.object({ commentId: z.string(), findingKey: z.string(), hash: z.string() });
const CommentListSchema = z.object({
  isLast: z.boolean().optional(),
  values: z.array(
    z.object({
      id: z.string(),
      properties: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
    }),
  ),
});

/** Page size for `GET /issue/{id}/comment`, and ids per `POST /comment/list` (Jira's limit is 1,000). */
const COMMENT_PAGE = 100;
const LIST_IDS_PER_CALL = 1000;

function markerProperties(marker: CommentMarker) {
  return [{ key: COMMENT_MARKER_PROPERTY, value: marker }];
}

async function notFoundAs<T>(fallback: T, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof JiraApiError && error.status === 404) return fallback;
    throw error;
  }
}

export const commentOperations: CommentGateway = {
  addComment(issueId, body, marker) {
    const operation = 'POST /rest/api/3/issue/{id}/comment';
    return notFoundAs(undefined, async () => {
      const response = await requestJiraAsApp(operation, route`/rest/api/3/issue/${issueId}/comment`, {
        method: 'POST',
        body: { body, properties: markerProperties(marker) },
      });
      return parseJiraBody(operation, CreatedCommentSchema, response.body).id;
    });
  },

  updateComment(issueId, commentId, body, marker) {
    return notFoundAs(false, async () => {
      await requestJiraAsApp(
        'PUT /rest/api/3/issue/{id}/comment/{id}',
        route`/rest/api/3/issue/${issueId}/comment/${commentId}?notifyUsers=false`,
        { method: 'PUT', body: { body, properties: markerProperties(marker) } },
      );
      return true;
    });
  },

  deleteComment(issueId, commentId) {
    return notFoundAs(false, async () => {
      await requestJiraAsApp(
        'DELETE /rest/api/3/issue/{id}/comment/{id}',
        route`/rest/api/3/issue/${issueId}/comment/${commentId}`,
        { method: 'DELETE' },
      );
      return true;
    });
  },

  listCommentIds(issueId) {
    const operation = 'GET /rest/api/3/issue/{id}/comment';
    return notFoundAs(undefined, async () => {
      const ids: string[] = [];
      for (let startAt = 0; ;) {
        const response = await requestJiraAsApp(
          operation,
          route`/rest/api/3/issue/${issueId}/comment?startAt=${startAt}&maxResults=${COMMENT_PAGE}`,
        );
        const page = parseJiraBody(operation, CommentPageSchema, response.body);
        ids.push(...page.comments.map((c) => c.id));
        startAt += page.comments.length;
        if (page.comments.length === 0 || startAt >= page.total) return ids;
      }
    });
  },

  async readMarkers(commentIds) {
    const operation = 'POST /rest/api/3/comment/list';
    const markers = new Map<string, CommentMarker>();
    for (let i = 0; i < commentIds.length; i += LIST_IDS_PER_CALL) {
      const ids = commentIds.slice(i, i + LIST_IDS_PER_CALL).map(Number);
      const response = await requestJiraAsApp(operation, route`/rest/api/3/comment/list?expand=properties`, {
        method: 'POST',
        body: { ids },
      });
      for (const comment of parseJiraBody(operation, CommentListSchema, response.body).values) {
        const property = comment.properties?.find((p) => p.key === COMMENT_MARKER_PROPERTY);
        const marker = MarkerSchema.safeParse(property?.value);
        if (marker.success) markers.set(comment.id, marker.data);
      }
    }
    return markers;
  },
};
