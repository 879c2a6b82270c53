import type { z } from 'zod';
import { withIssueLock, type LockDeps } from './issue-event-lock';

/** What every product-event use case (issue and comment events) does first. */

export type SkippedEvent = { handled: false; reason: 'invalid-event' | 'self-generated'; details?: string };
export type IssueBusy = { handled: false; reason: 'issue-busy'; retryAfterSeconds: number };

/**
 * The event parsed, or why it is skipped: not the shape Jira sends (with the first problem), or caused by the app's
 * own write. The trigger filters those (`ignoreSelf`); checked again so that the app never echoes its own writes.
 */
export function readProductEvent<S extends z.ZodType<{ selfGenerated?: boolean | undefined }>>(
  schema: S,
  input: unknown,
): { event: z.output<S> } | { skipped: SkippedEvent } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const details = `${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
    return { skipped: { handled: false, reason: 'invalid-event', details } };
  }
  if (parsed.data.selfGenerated === true) return { skipped: { handled: false, reason: 'self-generated' } };
  return { event: parsed.data };
}

/** `work` holding the issue's lock; when another event of the issue held it too long, "busy: deliver me later". */
export async function underIssueLock<T>(
  issueId: string,
  deps: LockDeps,
  work: () => Promise<T>,
): Promise<T | IssueBusy> {
  const locked = await withIssueLock(issueId, deps, work);
  return locked.ran
    ? locked.result
    : { handled: false, reason: 'issue-busy', retryAfterSeconds: locked.retryAfterSeconds };
}
