import { randomUUID } from 'node:crypto';
import { commentOperations } from './jira/comment-operations';
import { issueGateway } from './jira/issue-gateway';
import { issueResolutionReader } from './jira/issue-resolution';
import { askCallerJiraAdmin } from './jira/permissions';
import { loadProjectDetails, loadSiteMetadata } from './jira/site-metadata';
import { callbackSender } from './platform/callback-client';
import { platformPinger } from './platform/platform-pinger';
import { ingestWebTriggerUrl } from './platform/web-trigger-url';
import { bulkJobQueue, bulkJobRepository } from './storage/bulk-job-repository';
import { cacheRepository } from './storage/cache-repository';
import { callbackQueue } from './storage/callback-queue';
import { appCommentRepository, jiraCommentRepository } from './storage/comment-repository';
import { configRepository } from './storage/config-repository';
import { deadLetterRepository } from './storage/dead-letter-repository';
import { findingStateRepository } from './storage/finding-state-repository';
import { healthRepository } from './storage/health-repository';
import { healthRecordsReader } from './storage/health-records';
import { inboxRepository } from './storage/inbox-repository';
import { issueEventStore } from './storage/issue-event-store';
import { leaseRepository } from './storage/lease-repository';
import { linkRepository } from './storage/link-repository';
import { outboxRepository } from './storage/outbox-repository';
import { replayGuard } from './storage/replay-guard';
import { signingSecretRepository } from './storage/signing-secret-repository';
import { syncQueue } from './storage/sync-queue';
import { syncPauseRepository } from './storage/sync-pause-repository';
import { syncStatsRepository } from './storage/sync-stats-repository';
import { unmappedStatusRepository } from './storage/unmapped-status-repository';
import type { AdminCheckDeps } from './usecases/admin/admin-check';
import type { IngestPort, OutboxCounter, SiteReader } from './usecases/admin/admin-ports';
import { resumePausedJobs, type BulkJobDeps } from './usecases/admin/bulk-jobs';
import type { CallbackSecretReader } from './usecases/callback-ports';
import type { DeliverCallbackDeps } from './usecases/deliver-platform-callbacks';
import {
  enqueuePlatformCallbacks,
  notifyIssuesLinked,
  type EnqueueCallbackDeps,
} from './usecases/enqueue-platform-callbacks';
import type { CommentEventDeps } from './usecases/handle-comment-event';
import type { IssueEventDeps } from './usecases/handle-issue-event';
import { ingestFindings, type IngestDeps } from './usecases/ingest-findings';
import type { LinkNotifier, Logger } from './usecases/ports';
import type { HealthCheckDeps } from './usecases/run-health-check';
import { ensureSigningSecret, rotateSigningSecret } from './usecases/signing-secrets';
import { groupRepository } from './storage/group-repository';
import { scopeIndexRepository } from './storage/scope-index-repository';
import { scanQueue, scanRepository } from './storage/scan-repository';
import type { SyncChunkDeps } from './usecases/sync/sync-chunk';
import type { ScanCloseDeps } from './usecases/close-missing-findings';

/**
 * The one module that wires the real adapters (@forge/kvs, @forge/events, Jira via @forge/api)
 * into the use cases. Handlers take their dependencies from here; tests use the same wiring through
 * the sandbox.
 */

/**
 * One JSON line per call (`{"level","msg",...facts}`): what Forge's log store and `forge logs` show,
 * searchable by field. Callers log per request, chunk or batch, never per finding, and never
 * secrets or payloads.
 */
const logger: Logger = {
  info: (message, facts) => console.info(JSON.stringify({ level: 'info', msg: message, ...facts })),
  warn: (message, facts) => console.warn(JSON.stringify({ level: 'warn', msg: message, ...facts })),
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
    scans: scanRepository,
    scanQueue,
    logger,
    now,
  };
}

export function scanCloseDeps(): ScanCloseDeps {
  return {
    scans: scanRepository,
    states: findingStateRepository,
    index: scopeIndexRepository,
    inbox: inboxRepository,
    queue: syncQueue,
    config: configRepository,
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
    groups: groupRepository,
    scopeIndex: scopeIndexRepository,
    queue: syncQueue,
    pause: syncPauseRepository,
    logger,
    now,
    newToken: () => randomUUID(),
    comments: { jira: commentOperations, records: appCommentRepository, logger },
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
export function rotateAppSigningSecret(
  options: { graceSeconds?: number; newSecret?: string } = {},
): Promise<{ current: string; previousExpiresAt: string | null }> {
  return rotateSigningSecret({ secrets: signingSecretRepository, now }, options);
}

// --- Jira → platform: issue events, the callback outbox and its delivery ---

const secrets: CallbackSecretReader = {
  async currentSecret() {
    return (await signingSecretRepository.read())?.current;
  },
};

const config = { load: () => configRepository.load() };
const newToken = () => randomUUID();

export function buildIssueEventDeps(): IssueEventDeps {
  return {
    links: linkRepository,
    store: issueEventStore,
    config,
    unmapped: unmappedStatusRepository,
    resolutions: issueResolutionReader,
    groups: groupRepository,
    queue: callbackQueue,
    logger,
    now,
    newToken,
    lock: {
      acquire: (issueId, token, ttlSeconds, at) =>
        leaseRepository.acquire(`issue-event:${issueId}`, token, ttlSeconds, at),
      release: (lease, at) => leaseRepository.release(lease, at),
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export function buildCommentEventDeps(): CommentEventDeps {
  return { ...buildIssueEventDeps(), appComments: appCommentRepository, jiraComments: jiraCommentRepository };
}

export function buildDeliverCallbackDeps(): DeliverCallbackDeps {
  return {
    outbox: outboxRepository,
    queue: callbackQueue,
    config,
    secrets,
    sender: callbackSender,
    issueStates: issueEventStore,
    logger,
    now,
    random: Math.random,
    newToken,
  };
}

export function buildEnqueueCallbackDeps(): EnqueueCallbackDeps {
  return { outbox: outboxRepository, queue: callbackQueue, config, logger, now, newToken };
}

export function healthCheckDeps(): HealthCheckDeps {
  return {
    outbox: outboxRepository,
    queue: callbackQueue,
    logger,
    now,
    newToken,
    recordRun: (run) => healthRepository.recordRun(run),
    foldStats: (at) => syncStatsRepository.fold(at),
    chunks: { inbox: inboxRepository, queue: syncQueue },
    resumeJobs: () => resumePausedJobs(bulkJobDeps()),
  };
}

const linkNotifier: LinkNotifier = {
  async issuesLinked(links) {
    await notifyIssuesLinked(links, buildEnqueueCallbackDeps());
  },
  async statusChanged(callbacks) {
    await enqueuePlatformCallbacks(callbacks, buildEnqueueCallbackDeps());
  },
};

// --- The admin page's resolvers ---

/** Whether the caller of an admin resolver is a Jira administrator (asked of Jira as that user). */
export const callerPermissions = { askJiraAdmin: askCallerJiraAdmin };

/** The same ingest use case and dependencies as the web trigger (src/composition.ts). */
const ingest: IngestPort = (request) => ingestFindings(request, ingestDeps());

const site: SiteReader = { loadSiteMetadata, loadProjectDetails };

/** One page of the callback outbox: the page shows "20+" rather than reading a backlog of any size. */
const outbox: OutboxCounter = {
  async countPending() {
    const page = await outboxRepository.listPending({ limit: 20 });
    return { count: page.entries.length, more: page.cursor !== undefined };
  },
};

const lastHealthRunAt = async () => (await healthRepository.lastRun())?.at ?? null;
const currentConfig = async () => (await configRepository.load()).config;

export function createAdminDeps(accountId: string) {
  return {
    accountId,
    now,
    logger,
    site,
    configs: configRepository,
    config: currentConfig,
    secrets: signingSecretRepository,
    pinger: platformPinger,
    webTriggerUrl: ingestWebTriggerUrl,
    lastHealthRunAt,
    syncPause: syncPauseRepository,
    records: healthRecordsReader,
    jobs: bulkJobRepository,
    deadLetters: deadLetterRepository,
    outbox,
    states: findingStateRepository,
    inbox: inboxRepository,
    queue: syncQueue,
    ingest,
    deadCallbacks: outboxRepository,
    unmappedStatuses: unmappedStatusRepository,
    callbackReplay: buildDeliverCallbackDeps(),
    scans: scanRepository,
    scanQueue,
  };
}

export function bulkJobDeps(): BulkJobDeps {
  return {
    jobs: bulkJobRepository,
    jobQueue: bulkJobQueue,
    callbacks: buildDeliverCallbackDeps(),
    letters: {
      deadLetters: deadLetterRepository,
      config: currentConfig,
      inbox: inboxRepository,
      queue: syncQueue,
      logger,
      now,
    },
    logger,
    now,
    newToken,
  };
}

export type AdminDeps = ReturnType<typeof createAdminDeps>;

/**
 * The admin resolvers' caller check: Jira's ADMINISTER, a yes remembered per account for 5 minutes (and for reading
 * settings and Health for 24 hours while Jira's hourly quota is spent).
 */
export function buildAdminCheckDeps(): AdminCheckDeps {
  return {
    cache: cacheRepository,
    askJira: () => callerPermissions.askJiraAdmin(),
    pause: (pause) => syncPauseRepository.pause(pause),
    now,
  };
}
