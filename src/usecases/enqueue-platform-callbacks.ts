import { buildIssueLinkedCallback, MAX_LINKS_PER_CALLBACK, type PlatformCallback } from '../domain/callback-events';
import { resolvePlatformCallbackSettings } from '../domain/config';
import type { CallbackOutbox, CallbackQueue, OutboxEntry } from './callback-ports';
import type { ConfigStore, Logger } from './ports';

/**
 * Puts callbacks in the outbox (KVS) and only then queues their delivery: a callback that was not
 * written is never sent, and one that was written is sent even when the queue event is lost (the
 * health check re-queues stalled entries, see `requeueStalledCallbacks`).
 */

export type EnqueueCallbackDeps = {
  outbox: Pick<CallbackOutbox, 'addMany'>;
  queue: CallbackQueue;
  config: ConfigStore;
  logger: Logger;
  now: () => Date;
  newToken: () => string;
};

export function newOutboxEntry(callback: PlatformCallback, partition: string, now: Date, token: string): OutboxEntry {
  return { id: callback.id, callback, partition, createdAt: now.toISOString(), attempts: 0, waitedMs: 0, token };
}

/**
 * Writes the callbacks to the outbox, then queues one delivery each. Returns how many were queued (0 when callbacks are
 * off or no platform URL is configured).
 */
export async function enqueuePlatformCallbacks(
  callbacks: ReadonlyArray<{ callback: PlatformCallback; partition: string }>,
  deps: EnqueueCallbackDeps,
): Promise<{ queued: number }> {
  if (callbacks.length === 0) return { queued: 0 };
  const { config } = await deps.config.load();
  const settings = resolvePlatformCallbackSettings(config);
  // No platform to tell (callbacks switched off, or no callback URL saved yet): nothing is queued.
  if (!settings.enabled || !settings.baseUrl) return { queued: 0 };
  const now = deps.now();
  const entries = callbacks.map(({ callback, partition }) => newOutboxEntry(callback, partition, now, deps.newToken()));
  await deps.outbox.addMany(entries);
  await deps.queue.publish(
    entries.map((entry) => ({ outboxId: entry.id, partition: entry.partition, token: entry.token })),
  );
  deps.logger.info('platform callbacks queued', {
    count: entries.length,
    types: [...new Set(entries.map((e) => e.callback.type))],
  });
  return { queued: entries.length };
}

export type NewIssueLink = {
  issueId: string;
  issueKey: string;
  findingId: string;
  source: string;
  projectKey?: string;
  linkedAt: string;
};

/**
 * `finding.issue_linked` for links the findings → Jira sync makes, so the platform can show the Jira
 * keys: one callback per ≤ 50 links (one outbox entry, one queue event, one POST). Called before the
 * links are saved, so a crash in between re-sends the same callback (same id) rather than none.
 */
export async function notifyIssuesLinked(
  links: ReadonlyArray<NewIssueLink>,
  deps: EnqueueCallbackDeps,
): Promise<{ queued: number }> {
  const callbacks: { callback: PlatformCallback; partition: string }[] = [];
  for (let i = 0; i < links.length; i += MAX_LINKS_PER_CALLBACK) {
    const group = links.slice(i, i + MAX_LINKS_PER_CALLBACK);
    callbacks.push({
      partition: group[0]!.issueId,
      callback: buildIssueLinkedCallback({
        links: group.map((link) => ({
          finding: { id: link.findingId, source: link.source },
          issue: { id: link.issueId, key: link.issueKey, ...(link.projectKey ? { projectKey: link.projectKey } : {}) },
        })),
        linkedAt: group
          .map((l) => l.linkedAt)
          .sort()
          .at(-1)!,
      }),
    });
  }
  return enqueuePlatformCallbacks(callbacks, deps);
}
