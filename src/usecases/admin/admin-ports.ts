import type { BulkJobView, HealthView } from '../../contracts/admin-api';
import type { ProjectDetails, SiteMetadata } from '../../contracts/site-metadata';
import type { SyncConfig } from '../../domain/config';
import type { DeadLetter } from '../../domain/dead-letter';
import type { IngestResult } from '../ingest-findings';
import type { StoredSecrets, SyncPause } from '../ports';

/** What the admin use cases need from the outside world; src/composition.ts wires the real ones. */

type HealthCounts = HealthView['counts'];

export type StoredConfigSnapshot = {
  config: SyncConfig;
  revision: number;
  savedAt: string | null;
  savedBy: string | null;
};
export type ConfigOwner = { revision: number; savedAt: string | null; savedBy: string | null };

export interface VersionedConfigStore {
  load(): Promise<StoredConfigSnapshot>;
  /** Saves only when the stored revision is still `expected`; otherwise says who holds it now. */
  saveIfRevision(
    expected: number,
    config: SyncConfig,
    meta: { now: Date; accountId: string },
  ): Promise<{ ok: true; revision: number; savedAt: string } | { ok: false; current: ConfigOwner }>;
}

export interface SiteReader {
  loadSiteMetadata(): Promise<SiteMetadata>;
  /** Throws JiraApiError with status 404 when the project does not exist. */
  loadProjectDetails(projectKey: string): Promise<ProjectDetails>;
}

export interface SecretReaderWriter {
  read(): Promise<StoredSecrets | undefined>;
  createIfAbsent(secrets: StoredSecrets): Promise<boolean>;
  write(secrets: StoredSecrets): Promise<void>;
}

export type SignedPostResult = { status: number; body: string } | { error: string };

export interface PlatformPinger {
  /** POSTs `body` to `url` with the X-Signature header for `secret`; never throws for network errors. */
  postSigned(url: string, body: string, secret: string): Promise<SignedPostResult>;
}

/** The health counters: 30-day totals and the last ingest. */
/** `styles`: findings per issue style key (`<grouping>:<mapping id>`, domain/issue-style.ts). */
export type SyncActivity = {
  counts: HealthCounts;
  lastIngestAt: string | null;
  incomplete: boolean;
  styles: Record<string, number>;
};

/**
 * The small records a Health view shows besides its lists — counters, the last hourly check, the
 * configuration, the bulk jobs, the sync's quota pause — read in one batched request.
 */
export type HealthRecords = {
  activity: SyncActivity;
  lastHealthRunAt: string | null;
  config: SyncConfig;
  jobs: BulkJobView[];
  pause: SyncPause | undefined;
};
export interface HealthRecordsReader {
  read(now: Date): Promise<HealthRecords>;
}

export type DeadLetterPage = { letters: DeadLetter[]; cursor?: string };

export interface DeadLetterReader {
  list(options: { limit?: number; cursor?: string }): Promise<DeadLetterPage>;
  get(findingKey: string): Promise<DeadLetter | undefined>;
  delete(findingKey: string): Promise<void>;
  deleteMany(findingKeys: ReadonlyArray<string>): Promise<void>;
}

/** Counts callbacks waiting in the outbox, up to one page (`more`: there are others). */
export interface OutboxCounter {
  countPending(): Promise<{ count: number; more: boolean }>;
}

/** The real ingest use case with its dependencies bound: a signed request in, a receipt out. */
export type IngestPort = (request: {
  method: string;
  headers: Record<string, string[]>;
  query: Record<string, string[]>;
  body: string;
}) => Promise<IngestResult>;
