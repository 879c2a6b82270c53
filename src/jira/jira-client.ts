import { asApp } from '@forge/api';
import { z } from 'zod';
import { parseRetryAfterMs } from '../domain/retry-after';
import { JiraApiError, QuotaExhaustedError, RateLimitedError, TransientError } from '../usecases/errors';

/**
 * One door to Jira REST as the app: every call goes through `requestJiraAsApp`, which turns
 * Jira's answers into the error family once — 429 → RateLimitedError (Retry-After honoured),
 * 5xx and network failures → TransientError, other 4xx → JiraApiError keyed on field ids — and
 * checks the response body with the caller's zod schema.
 */

type RouteArg = Parameters<ReturnType<typeof asApp>['requestJira']>[0];

export const JiraErrorBodySchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;
const DEFAULT_UNAVAILABLE_WAIT_MS = 5_000;

export type JiraRawResponse = { status: number; body: unknown; headers: Headers };

/** Sends one request; returns the parsed JSON body (or undefined) of a 2xx, throws the error family otherwise. */
export async function requestJiraAsApp(
  operation: string,
  path: RouteArg,
  init: { method?: string; body?: unknown } = {},
  options: { acceptStatuses?: number[] } = {},
): Promise<JiraRawResponse> {
  let response: Response;
  try {
    response = (await asApp().requestJira(path, {
      method: init.method ?? 'GET',
      headers: {
        Accept: 'application/json',
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    })) as unknown as Response;
  } catch (error) {
    throw new TransientError(
      `${operation}: Jira could not be reached (${error instanceof Error ? error.message : String(error)})`,
      DEFAULT_UNAVAILABLE_WAIT_MS,
      'upstream-unavailable',
    );
  }
  const text = await response.text();
  let body: unknown;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if ((response.status >= 200 && response.status < 300) || options.acceptStatuses?.includes(response.status)) {
    return { status: response.status, body, headers: response.headers };
  }
  const retryAfter = parseRetryAfterMs(response.headers.get('retry-after'), Date.now());
  const limitReason = response.headers.get('ratelimit-reason') ?? '';
  if (response.status === 429 && limitReason.startsWith('jira-quota')) {
    const now = new Date();
    throw new QuotaExhaustedError(
      `${operation}: Jira's hourly points quota is used up (${limitReason})`,
      quotaResetAt(response.headers, retryAfter, now),
      limitReason,
      now,
    );
  }
  if (response.status === 429) {
    throw new RateLimitedError(
      `${operation}: Jira rate limit (${response.headers.get('ratelimit-reason') ?? 'unspecified'})`,
      retryAfter ?? DEFAULT_RATE_LIMIT_WAIT_MS,
    );
  }
  if (response.status >= 500) {
    throw new TransientError(
      `${operation}: Jira answered ${response.status}`,
      retryAfter ?? DEFAULT_UNAVAILABLE_WAIT_MS,
      'upstream-unavailable',
    );
  }
  const parsed = JiraErrorBodySchema.safeParse(body);
  throw new JiraApiError(
    response.status,
    parsed.success ? (parsed.data.errors ?? {}) : {},
    parsed.success ? (parsed.data.errorMessages ?? []) : [],
    operation,
  );
}

/**
 * When a spent quota comes back: `X-RateLimit-Reset` (an instant), else `Retry-After`, else the `t=` (seconds to reset)
 * of `Beta-RateLimit`, else the top of the next hour (Jira's quota windows are hourly).
 */
export function quotaResetAt(
  headers: { get(name: string): string | null },
  retryAfterMs: number | undefined,
  now: Date,
): Date {
  const reset = Date.parse(headers.get('x-ratelimit-reset') ?? '');
  if (!Number.isNaN(reset) && reset > now.getTime()) return new Date(reset);
  if (retryAfterMs !== undefined) return new Date(now.getTime() + retryAfterMs);
  const seconds = /;\s*t=(\d+)/.exec(headers.get('beta-ratelimit') ?? '')?.[1];
  if (seconds !== undefined) return new Date(now.getTime() + Number(seconds) * 1000);
  return new Date(Math.floor(now.getTime() / 3_600_000 + 1) * 3_600_000);
}

/** Checks a Jira response body against a schema; a mismatch is Jira's contract breaking, reported precisely. */
export function parseJiraBody<T extends z.ZodTypeAny>(operation: string, schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${operation}: unexpected response from Jira at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
