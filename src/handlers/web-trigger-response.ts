/** The dynamic web trigger response Forge expects: header values are arrays. */
export interface WebTriggerResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

export function jsonWebTriggerResponse(statusCode: number, body: unknown): WebTriggerResponse {
  return { statusCode, headers: { 'Content-Type': ['application/json'] }, body: JSON.stringify(body) };
}

export function errorWebTriggerResponse(
  statusCode: number,
  code: string,
  message: string,
  details?: unknown,
): WebTriggerResponse {
  return jsonWebTriggerResponse(statusCode, {
    error: { code, message, ...(details === undefined ? {} : { details }) },
  });
}

/** Header lookup by name, case-insensitively (Forge does not normalise header names). */
export function lowerCaseHeaders(headers: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    const key = name.toLowerCase();
    out[key] = [...(out[key] ?? []), ...values];
  }
  return out;
}
