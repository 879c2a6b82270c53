import type { ServiceResponse } from '../http/types';
import type { JiraEmulator } from './jira-emulator';

/**
 * A person acting on the emulated site, for tests and the HTML board. Every method goes through
 * `emulator.handle()` with a user actor, so the same validation, rate limits and product events
 * apply as to a REST call.
 */

export class JiraRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    operation: string,
  ) {
    super(`${operation} failed with ${status}: ${JSON.stringify(body)}`);
    this.name = 'JiraRequestError';
  }
}

export interface JiraUserResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface JiraUserSession {
  readonly accountId: string;
  /** Raw REST call as this user (path under the site, e.g. `/rest/api/3/myself`). */
  request(method: string, path: string, body?: unknown): Promise<JiraUserResponse>;
  create(fields: Record<string, unknown>): Promise<{ id: string; key: string }>;
  /**
   * Moves the issue by transition id, or by the name of a status reachable in one step (optionally with screen fields).
   */
  transition(issueKey: string, toStatusNameOrTransitionId: string, fields?: Record<string, unknown>): Promise<void>;
  edit(issueKey: string, fields: Record<string, unknown>): Promise<void>;
  delete(issueKey: string): Promise<void>;
  /** Adds a comment; a plain string becomes a one-paragraph ADF document. */
  comment(
    issueKey: string,
    body: string | Record<string, unknown>,
    visibility?: { type: 'role' | 'group'; value: string },
  ): Promise<{ id: string }>;
  /** Replaces a comment's body (a plain string becomes a one-paragraph ADF document). */
  editComment(issueKey: string, commentId: string, body: string | Record<string, unknown>): Promise<void>;
  deleteComment(issueKey: string, commentId: string): Promise<void>;
  getIssue(issueKey: string, fields?: string): Promise<Record<string, unknown>>;
}

function parse(response: ServiceResponse): JiraUserResponse {
  const text = response.body ?? '';
  let body: unknown = text;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: response.headers ?? {}, body };
}

export function adfParagraph(text: string): Record<string, unknown> {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] }] };
}

/** Marks a person's request (a session, the board, curl): it does not draw on the app's points quota. */
export const PERSON_HEADER = 'x-sandbox-person';

export function createUserSession(emulator: JiraEmulator, accountId: string): JiraUserSession {
  const request = async (method: string, path: string, body?: unknown): Promise<JiraUserResponse> => {
    const response = await emulator.handle(
      {
        method,
        path,
        headers: {
          accept: 'application/json',
          [PERSON_HEADER]: '1',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      { kind: 'user', accountId },
    );
    return parse(response);
  };
  const expect = async (method: string, path: string, body: unknown, ok: number[]): Promise<JiraUserResponse> => {
    const response = await request(method, path, body);
    if (!ok.includes(response.status)) throw new JiraRequestError(response.status, response.body, `${method} ${path}`);
    return response;
  };
  const issuePath = (key: string) => `/rest/api/3/issue/${encodeURIComponent(key)}`;

  return {
    accountId,
    request,
    async create(fields) {
      const response = await expect('POST', '/rest/api/3/issue', { fields }, [201]);
      const created = response.body as { id: string; key: string };
      return { id: created.id, key: created.key };
    },
    async transition(issueKey, target, fields) {
      const listed = await expect('GET', `${issuePath(issueKey)}/transitions`, undefined, [200]);
      const transitions = (listed.body as { transitions: Array<{ id: string; name: string; to: { name: string } }> })
        .transitions;
      const chosen =
        transitions.find((t) => t.id === target) ??
        transitions.find((t) => t.to.name.toLowerCase() === target.toLowerCase());
      if (!chosen) {
        const options = transitions.map((t) => `${t.id} "${t.name}" → ${t.to.name}`).join(', ');
        throw new Error(
          `${issueKey}: no transition to "${target}" from its current status (available: ${options || 'none'})`,
        );
      }
      await expect(
        'POST',
        `${issuePath(issueKey)}/transitions`,
        { transition: { id: chosen.id }, ...(fields ? { fields } : {}) },
        [204],
      );
    },
    async edit(issueKey, fields) {
      await expect('PUT', issuePath(issueKey), { fields }, [204]);
    },
    async delete(issueKey) {
      await expect('DELETE', issuePath(issueKey), undefined, [204]);
    },
    async comment(issueKey, body, visibility) {
      const response = await expect(
        'POST',
        `${issuePath(issueKey)}/comment`,
        { body: typeof body === 'string' ? adfParagraph(body) : body, ...(visibility ? { visibility } : {}) },
        [201],
      );
      return { id: (response.body as { id: string }).id };
    },
    async editComment(issueKey, commentId, body) {
      await expect(
        'PUT',
        `${issuePath(issueKey)}/comment/${encodeURIComponent(commentId)}`,
        { body: typeof body === 'string' ? adfParagraph(body) : body },
        [200],
      );
    },
    async deleteComment(issueKey, commentId) {
      await expect('DELETE', `${issuePath(issueKey)}/comment/${encodeURIComponent(commentId)}`, undefined, [204]);
    },
    async getIssue(issueKey, fields = '*all') {
      const response = await expect(
        'GET',
        `${issuePath(issueKey)}?fields=${encodeURIComponent(fields)}`,
        undefined,
        [200],
      );
      return response.body as Record<string, unknown>;
    },
  };
}
