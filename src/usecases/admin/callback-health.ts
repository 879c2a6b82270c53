import type { AdminResult, CallbackHealthView, DeadCallbackView } from '../../contracts/admin-api';
import { callbackSubject } from '../../domain/callback-events';
import type { CallbackOutbox, DeadCallback, UnmappedStatusStore } from '../callback-ports';
import { replayAllDeadCallbacks, replayDeadCallback, type ReplayDeps } from '../deliver-platform-callbacks';

/** Health of the Jira → platform direction: callbacks that became dead letters, and Jira statuses no rule maps. */

export type CallbackHealthDeps = {
  deadCallbacks: Pick<CallbackOutbox, 'listDead'>;
  unmappedStatuses: Pick<UnmappedStatusStore, 'list'>;
};

export const DEAD_CALLBACKS_SHOWN = 50;

export function toDeadCallbackView(letter: DeadCallback): DeadCallbackView {
  const callback = letter.callback;
  const subject = callbackSubject(callback);
  const findingId =
    callback.type === 'finding.issue_linked' ? (callback.links[0]?.finding.id ?? null) : callback.finding.id;
  return {
    id: letter.id,
    type: callback.type,
    issueKey: subject.key,
    issueCount: callback.type === 'finding.issue_linked' ? callback.links.length : 1,
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
  const deadCallbacks = page.letters
    .map(toDeadCallbackView)
    .sort((a, b) => Date.parse(b.failedAt) - Date.parse(a.failedAt));
  const unmappedStatuses = [...unmapped].sort((a, b) => Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt));
  return { ok: true, data: { deadCallbacks, moreDeadCallbacks: page.cursor !== undefined, unmappedStatuses } };
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

export async function replayAllCallbacks(deps: ReplayDeps): Promise<AdminResult<{ replayed: number }>> {
  return { ok: true, data: await replayAllDeadCallbacks(deps) };
}
