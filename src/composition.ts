import { randomUUID } from 'node:crypto';
import { issueGateway } from './jira/issue-gateway';
import { cacheRepository } from './storage/cache-repository';
import { configRepository } from './storage/config-repository';
import { deadLetterRepository } from './storage/dead-letter-repository';
import { findingStateRepository } from './storage/finding-state-repository';
import { inboxRepository } from './storage/inbox-repository';
import { leaseRepository } from './storage/lease-repository';
import { linkRepository } from './storage/link-repository';
import { replayGuard } from './storage/replay-guard';
import { signingSecretRepository } from './storage/signing-secret-repository';
import { syncQueue } from './storage/sync-queue';
import { syncStatsRepository } from './storage/sync-stats-repository';
import type { IngestDeps } from './usecases/ingest-findings';
import type { Logger } from './usecases/ports';
import { ensureSigningSecret, rotateSigningSecret } from './usecases/signing-secrets';
import type { SyncChunkDeps } from './usecases/sync-finding-chunk';
import { route } from '@forge/api';
import { z } from 'zod';
import { parseJiraBody, requestJiraAsApp } from './jira/jira-client';
import { callbackQueue } from './storage/callback-queue';
import { issueEventStore } from './storage/issue-event-store';
import { outboxRepository } from './storage/outbox-repository';
import { unmappedStatusRepository } from './storage/unmapped-status-repository';
import type { CallbackSecretReader, IssueResolutionReader } from './usecases/callback-ports';
import type { DeliverCallbackDeps } from './usecases/deliver-platform-callbacks';
import type { EnqueueCallbackDeps } from './usecases/enqueue-platform-callbacks';
import type { IssueEventDeps } from './usecases/handle-issue-event';
import { callbackSender } from './platform/callback-client';
import { notifyIssuesLinked } from './usecases/enqueue-platform-callbacks';
import type { LinkNotifier } from './usecases/ports';

/**
 * The one module that wires the real adapters (@forge/kvs, @forge/events, Jira via @forge/api)
 * into the use cases. Handlers take their dependencies from here; tests use the same wiring through
 * the sandbox.
 */

const logger: Logger = {
  info: (message, facts) => console.log(message, facts ?? {}),
  warn: (message, facts) => console.warn(message, facts ?? {}),
};

const now = () => new Date();

export function ingestDeps(): IngestDeps {
  return {
    secrets: signingSecretRepository,
    replayGuard,
    config: configRepository,
    states: findingStateRepository,
    inbox: inboxRepository,
    queue: syncQueue,
    stats: syncStatsRepository,
    logger,
    now,
  };
}

export function syncDeps(): SyncChunkDeps {
  return {
    jira: issueGateway,
    config: configRepository,
    inbox: inboxRepository,
    states: findingStateRepository,
    links: linkRepository,
    linkNotifier,
    leases: leaseRepository,
    deadLetters: deadLetterRepository,
    stats: syncStatsRepository,
    cache: cacheRepository,
    queue: syncQueue,
    logger,
    now,
    newToken: () => randomUUID(),
  };
}

/**
 * The app's ingest signing secret, created on first call (`initial` when given, else random).
 * Must run inside an app invocation (on Forge: a resolver; in the sandbox: `sandbox.runAsApp`).
 */
export function ensureAppSigningSecret(options: { initial?: string } = {}): Promise<string> {
  return ensureSigningSecret({ secrets: signingSecretRepository, now }, options);
}

/** Rotates the signing secret; the previous one stays valid for `graceSeconds` (default 24 h). */
export function rotateAppSigningSecret(options: { graceSeconds?: number; newSecret?: string } = {}): Promise<{ current: string; previousExpiresAt: string | null }> {
  return rotateSigningSecret({ secrets: signingSecretRepository, now }, options);
}

// --- Jira → platform: issue events, the callback outbox and its delivery ---

const secrets: CallbackSecretReader = {
  async currentSecret() {
    return (await signingSecretRepository.read())?.current;
  },
};

const ResolutionBodySchema = z.object({ fields: z.object({ resolution: z.object({ name: z.string() }).nullable().optional() }) });

/** One GET for a linked issue whose event did not say its resolution (only for done statuses). */
const resolutions: IssueResolutionReader = {
  async getResolution(issueId) {
    const response = await requestJiraAsApp('get issue resolution', route`/rest/api/3/issue/${issueId}?fields=resolution`, {}, { acceptStatuses: [404] });
    if (response.status === 404) return undefined;
    return parseJiraBody('get issue resolution', ResolutionBodySchema, response.body).fields.resolution?.name ?? null;
  },
};

const config = { load: () => configRepository.load() };
const newToken = () => randomUUID();

export function buildIssueEventDeps(): IssueEventDeps {
  return { links: linkRepository, store: issueEventStore, config, unmapped: unmappedStatusRepository, resolutions, queue: callbackQueue, logger, now, newToken };
}

export function buildDeliverCallbackDeps(): DeliverCallbackDeps {
  return { outbox: outboxRepository, queue: callbackQueue, config, secrets, sender: callbackSender, issueStates: issueEventStore, logger, now, random: Math.random, newToken };
}

export function buildEnqueueCallbackDeps(): EnqueueCallbackDeps {
  return { outbox: outboxRepository, queue: callbackQueue, config, logger, now, newToken };
}

const linkNotifier: LinkNotifier = {
  async issuesLinked(links) {
    await notifyIssuesLinked(links, buildEnqueueCallbackDeps());
  },
};
