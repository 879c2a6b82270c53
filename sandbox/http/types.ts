/**
 * The shape every in-process sandbox service speaks: the Forge runtime hooks turn SDK calls into a
 * ServiceRequest, hand it to the service that owns the target (KVS, Jira, queues, ...), and turn the
 * ServiceResponse back into a WHATWG `Response` for the real @forge/* package to read.
 */
export interface ServiceRequest {
  method: string;
  /** Path including the query string, e.g. `/rest/api/3/issue/ABC-1?fields=summary`. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body?: string;
}

export interface ServiceResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: value === undefined ? '' : JSON.stringify(value),
  };
}
