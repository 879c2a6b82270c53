import { callbackSubject } from '../domain/callback-events';
import { planCallbackRetry } from '../domain/callback-retry';
import { resolvePlatformCallbackSettings } from '../domain/config';
import type {
  CallbackOutbox,
  CallbackQueue,
  CallbackSecretReader,
  CallbackSender,
  DeadCallback,
  IssueEventStore,
  OutboxEntry,
} from './callback-ports';
import type { ConfigStore, Logger } from './ports';

/**
 * The callback consumer's work for one queue event `{outboxId, token}`: read the entry from the
 * outbox (gone: already delivered, superseded or dead — nothing to do), POST it signed, and then
 * either record the delivery, schedule the next attempt (exponential backoff with jitter, never
 * sooner than `Retry-After`, as a new delayed queue event so an outage of any length up to the
 * deadline is covered, not only Forge's 4 retries), or move it to the dead letters the admin sees.
 * A status callback that a newer one replaced is dropped unsent, so the platform never goes back.
 */

export type DeliverCallbackDeps = {
  outbox: CallbackOutbox;
  queue: CallbackQueue;
  config: ConfigStore;
  secrets: CallbackSecretReader;
  sender: CallbackSender;
  issueStates: Pick<IssueEventStore, 'getIssueState'>;
  logger: Logger;
  now: () => Date;
  random: () => number;
  newToken: () => string;
};

export type CallbackDeliveryEvent = { outboxId: string; partition: string; token: string; holdMs?: number };

export type CallbackDeliveryOutcome =
  | { kind: 'nothing-to-do'; reason: 'not-in-outbox' | 'stale-event' }
  | { kind: 'held'; remainingMs: number }
  | { kind: 'superseded' }
  | { kind: 'delivered'; status: number }
  | { kind: 'retry-scheduled'; delayMs: number; attempts: number; reason: string }
  | { kind: 'dead'; reason: string };

export async function deliverPlatformCallback(
  event: CallbackDeliveryEvent,
  deps: DeliverCallbackDeps,
): Promise<CallbackDeliveryOutcome> {
  const entry = await deps.outbox.get(event.outboxId);
  if (!entry) return { kind: 'nothing-to-do', reason: 'not-in-outbox' };
  if (entry.token !== event.token) return { kind: 'nothing-to-do', reason: 'stale-event' };
  if (event.holdMs !== undefined && event.holdMs > 0) {
    // A wait longer than Forge's longest queue delay, served in hops.
    await deps.queue.publish([
      { outboxId: entry.id, partition: entry.partition, token: entry.token, delayMs: event.holdMs },
    ]);
    return { kind: 'held', remainingMs: event.holdMs };
  }

  const callback = entry.callback;
  if (callback.type === 'finding.status_changed') {
    const state = await deps.issueStates.getIssueState(callback.issue.id);
    // A group issue's change is several callbacks (≤ 50 members each), known by the first one's id.
    const changeId = callback.batch?.of ?? callback.id;
    if (state?.lastStatusCallbackId !== undefined && state.lastStatusCallbackId !== changeId) {
      await deps.outbox.discard(entry.id);
      deps.logger.info('status callback superseded by a newer one', {
        callbackId: entry.id,
        issueKey: callback.issue.key,
      });
      return { kind: 'superseded' };
    }
  }

  const now = deps.now();
  const { config } = await deps.config.load();
  const settings = resolvePlatformCallbackSettings(config);
  const secret = await deps.secrets.currentSecret();
  let answer: Awaited<ReturnType<CallbackSender['send']>>;
  if (!settings.baseUrl)
    answer = {
      kind: 'retry',
      message: 'No platform base URL is configured (Finding Sync settings → Platform callbacks)',
    };
  else if (!secret) answer = { kind: 'retry', message: 'The app has no signing secret yet' };
  else answer = await deps.sender.send({ url: `${settings.baseUrl}${settings.path}`, callback, secret, now });

  const attempted: OutboxEntry = {
    ...entry,
    attempts: entry.attempts + 1,
    lastAttemptAt: now.toISOString(),
    ...('status' in answer && answer.status !== undefined ? { lastStatus: answer.status } : {}),
  };
  if (answer.kind === 'delivered') {
    await deps.outbox.markDelivered(attempted, now);
    deps.logger.info('callback delivered', {
      callbackId: entry.id,
      type: callback.type,
      issueKey: callbackSubject(callback).key,
      attempts: attempted.attempts,
    });
    return { kind: 'delivered', status: answer.status };
  }
  if (answer.kind === 'rejected') {
    return moveToDead(
      { ...attempted, lastError: answer.message },
      `The platform refused the callback (${answer.status}): ${answer.message}`,
      now,
      deps,
    );
  }
  const plan = planCallbackRetry({
    attempts: attempted.attempts,
    createdAtMs: Date.parse(entry.createdAt),
    waitedMs: entry.waitedMs,
    nowMs: now.getTime(),
    ...(answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {}),
    deadlineSeconds: settings.deadlineSeconds,
    random: deps.random(),
  });
  if (plan.kind === 'dead')
    return moveToDead(
      { ...attempted, lastError: answer.message },
      `${plan.reason}; last error: ${answer.message}`,
      now,
      deps,
    );
  const next: OutboxEntry = {
    ...attempted,
    lastError: answer.message,
    waitedMs: entry.waitedMs + plan.delayMs,
    token: deps.newToken(),
    nextAttemptAt: new Date(now.getTime() + plan.delayMs).toISOString(),
  };
  await deps.outbox.update(next);
  await deps.queue.publish([
    { outboxId: next.id, partition: next.partition, token: next.token, delayMs: plan.delayMs },
  ]);
  deps.logger.warn('callback delivery failed; retry scheduled', {
    callbackId: entry.id,
    attempts: next.attempts,
    delayMs: plan.delayMs,
    error: answer.message,
  });
  return { kind: 'retry-scheduled', delayMs: plan.delayMs, attempts: next.attempts, reason: answer.message };
}

async function moveToDead(
  entry: OutboxEntry,
  reason: string,
  now: Date,
  deps: DeliverCallbackDeps,
): Promise<CallbackDeliveryOutcome> {
  const letter: DeadCallback = { ...entry, failedAt: now.toISOString(), reason };
  await deps.outbox.moveToDead(letter);
  deps.logger.warn('callback moved to dead letters', {
    callbackId: entry.id,
    type: entry.callback.type,
    issueKey: callbackSubject(entry.callback).key,
    reason,
  });
  return { kind: 'dead', reason };
}

export type ReplayDeps = Pick<DeliverCallbackDeps, 'outbox' | 'queue' | 'logger' | 'now' | 'newToken'>;

/** Puts a dead letter back in the outbox with a fresh deadline and queues it (admin "Replay"). */
export async function replayDeadCallback(
  callbackId: string,
  deps: ReplayDeps,
): Promise<{ ok: true } | { ok: false; reason: 'not-found' }> {
  const replayed = await reviveDeadCallback(callbackId, deps);
  if (replayed) deps.logger.info('dead callback replayed', { callbackId });
  return replayed ? { ok: true } : { ok: false, reason: 'not-found' };
}

async function reviveDeadCallback(callbackId: string, deps: ReplayDeps): Promise<boolean> {
  const letter = await deps.outbox.getDead(callbackId);
  if (!letter) return false;
  const now = deps.now();
  const entry: OutboxEntry = {
    id: letter.id,
    callback: letter.callback,
    partition: letter.partition,
    createdAt: now.toISOString(),
    attempts: 0,
    waitedMs: 0,
    token: deps.newToken(),
  };
  await deps.outbox.revive(letter, entry);
  await deps.queue.publish([{ outboxId: entry.id, partition: entry.partition, token: entry.token }]);
  return true;
}

/** Replays every dead letter (page by page), logging one line per page. Returns how many were queued again. */
export async function replayAllDeadCallbacks(deps: ReplayDeps): Promise<{ replayed: number }> {
  let replayed = 0;
  for (;;) {
    const page = await deps.outbox.listDead({ limit: 100 });
    const ids: string[] = [];
    for (const letter of page.letters) if (await reviveDeadCallback(letter.id, deps)) ids.push(letter.id);
    replayed += ids.length;
    if (ids.length > 0) deps.logger.info('dead callbacks replayed', { count: ids.length, callbackIds: ids });
    if (ids.length === 0 || (!page.cursor && page.letters.length < 100)) return { replayed };
  }
}

/**
 * Safety net for a lost queue event (Forge delivers at least once, but an invocation can die between
 * writing the outbox and queueing): re-queues outbox entries whose next attempt is overdue by more
 * than `graceMs`. Meant for the hourly health trigger.
 */
export async function requeueStalledCallbacks(
  deps: ReplayDeps,
  options: { graceMs?: number } = {},
): Promise<{ requeued: number }> {
  const grace = options.graceMs ?? 20 * 60_000;
  const now = deps.now().getTime();
  let requeued = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.outbox.listPending({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const entry of page.entries) {
      const due = Date.parse(entry.nextAttemptAt ?? entry.createdAt);
      if (Number.isNaN(due) || now - due < grace) continue;
      const next = { ...entry, token: deps.newToken() };
      await deps.outbox.update(next);
      await deps.queue.publish([{ outboxId: next.id, partition: next.partition, token: next.token }]);
      requeued++;
    }
    cursor = page.cursor;
  } while (cursor);
  return { requeued };
}
