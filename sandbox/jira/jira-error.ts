import { jsonResponse, type ServiceResponse } from '../http/types';

/** Jira's error body: `{errorMessages: [], errors: {field: message}}`. */
export interface JiraErrorCollection {
  errorMessages: string[];
  errors: Record<string, string>;
}

/** Thrown inside handlers; turned into Jira's error response once, by the router. */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
    this.name = 'JiraHttpError';
  }

  toResponse(): ServiceResponse {
    const body: JiraErrorCollection = { errorMessages: this.errorMessages, errors: this.errors };
    return jsonResponse(this.status, body, this.headers);
  }
}

export function badRequest(errors: Record<string, string>, errorMessages: string[] = []): JiraHttpError {
  return new JiraHttpError(400, errorMessages, errors);
}

export function badRequestMessage(message: string): JiraHttpError {
  return new JiraHttpError(400, [message]);
}

export function issueNotFound(): JiraHttpError {
  return new JiraHttpError(404, ['Issue does not exist or you do not have permission to see it.']);
}

export function projectNotFound(projectIdOrKey: string): JiraHttpError {
  return new JiraHttpError(404, [`No project could be found with key '${projectIdOrKey}'.`]);
}

export function forbidden(message: string): JiraHttpError {
  return new JiraHttpError(403, [message]);
}
