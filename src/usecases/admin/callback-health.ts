import { PAGE_SIZE, type AdminResult, type CallbackHealthView, type DeadCallbackView } from '../../contracts/admin-api';
import { callbackSubject } from '../../domain/callback-events';
import type { CallbackOutbox, DeadCallback, UnmappedStatusStore } from '../callback-ports';
import { replayDeadCallback, type ReplayDeps } from '../deliver-platform-callbacks';

/** Health of the Jira → platform direction: callbacks that became dead letters, and Jira statuses no rule maps. */

export type CallbackHealthDeps = {
  deadCallbacks: Pick<CallbackOutbox, 'listDead'>;
  unmappedStatuses: Pick<UnmappedStatusStore, 'list'>;
};

export const DEAD_CALLBACKS_SHOWN = PAGE_SIZE;

export function toDeadCallbackView(letter: DeadCallback): DeadCallbackView {
  const callback = letter.callback;
  const subject = callbackSubject(callback);
  const findingId =
    callback.type === 'finding.issue_linked'
      ? (callback.links[0]?.finding.id ?? null)
      : (callback.finding?.id ?? ('links' in callback ? callback.links?.[0]?.finding.id : undefined) ?? null);
  return {
    id: letter.id,
    type: callback.type,
    issueKey: subject.key,
    issueCount: callback.type === 'finding.issue_linked' ? callback.links.length : 1, // a group's parts: one issue
    findingId,
    attempts: letter.attempts,
    lastStatus: letter.lastStatus ?? null,
    reason: letter.reason,
    lastError: letter.lastError ?? null,
    failedAt: letter.failedAt,
  };
}

export async function getCallbackHealth(deps: CallbackHealthDeps): Promise<AdminResult<CallbackHealthView>> {
  const [page, unmapped] = await Promise.all([
    deps.deadCallbacks.listDead({ limit: DEAD_CALLBACKS_SHOWN }),
    deps.unmappedStatuses.list(),
  ]);
  const deadCallbacks = page.letters.map(toDeadCallbackView);
  const unmappedStatuses = [...unmapped].sort((a, b) => Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt));
  return {
    ok: true,
    data: {
      deadCallbacks,
      moreDeadCallbacks: page.cursor !== undefined,
      deadCallbacksCursor: page.cursor ?? null,
      unmappedStatuses,
    },
  };
}

/** The next page of dead callbacks (20, in key order) after `cursor`. */
export async function listDeadCallbacks(
  input: { cursor?: string },
  deps: Pick<CallbackHealthDeps, 'deadCallbacks'>,
): Promise<AdminResult<{ deadCallbacks: DeadCallbackView[]; cursor: string | null }>> {
  const page = await deps.deadCallbacks.listDead({
    limit: PAGE_SIZE,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  return { ok: true, data: { deadCallbacks: page.letters.map(toDeadCallbackView), cursor: page.cursor ?? null } };
}

/** Puts one dead callback back in the outbox with a fresh deadline; it is delivered by the callback consumer. */
export async function replayCallback(input: { id: string }, deps: ReplayDeps): Promise<AdminResult<{ queued: true }>> {
  const result = await replayDeadCallback(input.id, deps);
  if (!result.ok)
    return {
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'This callback is no longer a dead letter: it was replayed since the page loaded.',
      },
    };
  return { ok: true, data: { queued: true } };
}
