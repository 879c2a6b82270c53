/** The dynamic web trigger response Forge expects: header values are arrays. */
export interface WebTriggerResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

export function jsonWebTriggerResponse(statusCode: number, body: unknown): WebTriggerResponse {
  return { statusCode, headers: { 'Content-Type': ['application/json'] }, body: JSON.stringify(body) };
}

export function errorWebTriggerResponse(statusCode: number, code: string, message: string, details?: unknown): WebTriggerResponse {
  return jsonWebTriggerResponse(statusCode, { error: { code, message, ...(details === undefined ? {} : { details }) } });
}
