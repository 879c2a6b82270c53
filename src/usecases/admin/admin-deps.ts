import { webTrigger } from '@forge/api';
import { loadProjectDetails, loadSiteMetadata } from '../../jira/site-metadata';
import { outboxRepository } from '../../storage/outbox-repository';
import { deadLetterRepository } from '../../storage/dead-letter-repository';
import { findingStateRepository } from '../../storage/finding-state-repository';
import { healthRepository } from '../../storage/health-repository';
import { inboxRepository } from '../../storage/inbox-repository';
import { signingSecretRepository } from '../../storage/signing-secret-repository';
import { syncQueue } from '../../storage/sync-queue';
import { syncStatsRepository } from '../../storage/sync-stats-repository';
import { ingestDeps } from '../../composition';
import { ingestFindings } from '../ingest-findings';
import type { Logger } from '../ports';
import type { IngestPort, OutboxCounter, SiteReader } from './admin-ports';
import { kvsSyncActivityReader, kvsVersionedConfigStore } from './kvs-admin-stores';
import { forgePlatformPinger } from './platform-pinger';

/**
 * The real adapters behind the admin resolver, from the shared repositories (to be folded into
 * src/composition.ts); ingest reuses the web trigger's wiring from there.
 */

export const INGEST_WEB_TRIGGER_KEY = 'ingest-webtrigger';

const logger: Logger = {
  info: (message, facts) => console.info(message, facts ?? {}),
  warn: (message, facts) => console.warn(message, facts ?? {}),
};

const now = () => new Date();

/** The same ingest use case and dependencies as the web trigger (src/composition.ts). */
const ingest: IngestPort = (request) => ingestFindings(request, ingestDeps());

const site: SiteReader = { loadSiteMetadata, loadProjectDetails };

/** Pages through the callback outbox (≤ 100 keys per KVS query); an admin-page read, not a hot path. */
const outbox: OutboxCounter = {
  async countPending() {
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await outboxRepository.listPending({ limit: 100, ...(cursor ? { cursor } : {}) });
      count += page.entries.length;
      cursor = page.cursor;
    } while (cursor);
    return count;
  },
};

const lastHealthRunAt = async () => (await healthRepository.lastRun())?.at ?? null;
const currentConfig = async () => (await kvsVersionedConfigStore.load()).config;

export function createAdminDeps(accountId: string) {
  return {
    accountId,
    now,
    logger,
    site,
    configs: kvsVersionedConfigStore,
    config: currentConfig,
    secrets: signingSecretRepository,
    pinger: forgePlatformPinger,
    webTriggerUrl: () => webTrigger.getUrl(INGEST_WEB_TRIGGER_KEY),
    lastHealthRunAt,
    totals: () => syncStatsRepository.totals(),
    activity: kvsSyncActivityReader,
    deadLetters: deadLetterRepository,
    outbox,
    states: findingStateRepository,
    inbox: inboxRepository,
    queue: syncQueue,
    ingest,
  };
}

export type AdminDeps = ReturnType<typeof createAdminDeps>;
