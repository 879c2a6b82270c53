import type { AdminResult, BulkJobKind, BulkJobView } from '../../contracts/admin-api';
import type { OutboxEntry } from '../callback-ports';
import type { ReplayDeps as CallbackReplayDeps } from '../deliver-platform-callbacks';
import type { Logger } from '../ports';
import { requeueDeadLetters, type ReplayDeps as DeadLetterReplayDeps } from './replay-dead-letter';

/**
 * Bulk actions of the Health tab (Replay all dead callbacks, re-sync all dead letters) as queued
 * background jobs. The resolver only records the job and queues its first step, so it answers at
 * once whatever the number of items; each step (a queue event on `admin-jobs`) replays up to
 * `STEP_ITEMS` items, saves the progress the page shows, and queues the next step after
 * `STEP_DELAY_SECONDS`, which keeps a large replay inside Forge's 500 queue events per minute.
 * Replayed items leave the dead-letter prefix, so every step starts from the first page.
 */

export interface BulkJobStore {
  get(kind: BulkJobKind): Promise<BulkJobView | undefined>;
  getAll(): Promise<BulkJobView[]>;
  save(job: BulkJobView): Promise<void>;
}

export type BulkJobEvent = { jobId: string; kind: BulkJobKind };

export interface BulkJobQueue {
  publish(event: BulkJobEvent, delaySeconds?: number): Promise<void>;
}

export type BulkJobDeps = {
  jobs: BulkJobStore;
  jobQueue: BulkJobQueue;
  callbacks: CallbackReplayDeps;
  letters: DeadLetterReplayDeps;
  logger: Logger;
  now: () => Date;
  newToken: () => string;
};

export const STEP_ITEMS = 100;
export const STEP_DELAY_SECONDS = 15;
const PAGE = 20;
/** A running job not updated for this long died (its step's retries ran out): a new one may start. */
const STALE_MS = 20 * 60_000;

function isActive(job: BulkJobView, now: Date): boolean {
  return (job.status === 'queued' || job.status === 'running') && now.getTime() - Date.parse(job.updatedAt) < STALE_MS;
}

/** Starts a job of `kind`, or answers the one already running (two admins pressing Replay all start one job). */
export async function startBulkJob(
  kind: BulkJobKind,
  accountId: string,
  deps: BulkJobDeps,
): Promise<AdminResult<BulkJobView>> {
  const now = deps.now();
  const existing = await deps.jobs.get(kind);
  if (existing && isActive(existing, now)) return { ok: true, data: existing };
  const job: BulkJobView = {
    id: deps.newToken(),
    kind,
    status: 'queued',
    processed: 0,
    failed: 0,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    finishedAt: null,
    startedBy: accountId,
    message: null,
  };
  await deps.jobs.save(job);
  await deps.jobQueue.publish({ jobId: job.id, kind });
  deps.logger.info('bulk job started', { jobId: job.id, kind });
  return { ok: true, data: job };
}

type PageOutcome = { processed: number; failed: number; cursor: string | undefined; seen: number };

async function replayCallbackPage(cursor: string | undefined, deps: BulkJobDeps): Promise<PageOutcome> {
  const { outbox, queue, now, newToken } = deps.callbacks;
  const page = await outbox.listDead({ limit: PAGE, ...(cursor ? { cursor } : {}) });
  const revived: OutboxEntry[] = [];
  for (const letter of page.letters) {
    const entry: OutboxEntry = {
      id: letter.id,
      callback: letter.callback,
      partition: letter.partition,
      createdAt: now().toISOString(),
      attempts: 0,
      waitedMs: 0,
      token: newToken(),
    };
    await outbox.revive(letter, entry);
    revived.push(entry);
  }
  await queue.publish(revived.map((e) => ({ outboxId: e.id, partition: e.partition, token: e.token })));
  return { processed: revived.length, failed: 0, cursor: page.cursor, seen: page.letters.length };
}

async function replayDeadLetterPage(cursor: string | undefined, deps: BulkJobDeps): Promise<PageOutcome> {
  const page = await deps.letters.deadLetters.list({ limit: PAGE, ...(cursor ? { cursor } : {}) });
  const queued = await requeueDeadLetters(page.letters, deps.letters);
  return { processed: queued, failed: 0, cursor: page.cursor, seen: page.letters.length };
}

const PAGE_RUNNERS: Record<BulkJobKind, (cursor: string | undefined, deps: BulkJobDeps) => Promise<PageOutcome>> = {
  'replay-dead-callbacks': replayCallbackPage,
  'replay-dead-letters': replayDeadLetterPage,
};

/** One step of a job (the `admin-jobs` consumer). A step for a job that was replaced or finished does nothing. */
export async function runBulkJobStep(
  event: BulkJobEvent,
  deps: BulkJobDeps,
): Promise<{ kind: 'stale' } | { kind: 'continued' | 'done'; job: BulkJobView }> {
  const job = await deps.jobs.get(event.kind);
  if (!job || job.id !== event.jobId || job.status === 'done' || job.status === 'failed') return { kind: 'stale' };
  let processed = 0;
  let failed = 0;
  let cursor: string | undefined;
  let finished = false;
  // Within one step the cursor skips what could not be replayed; the next step starts over (the replayed are gone).
  while (processed < STEP_ITEMS) {
    const page = await PAGE_RUNNERS[event.kind](cursor, deps);
    processed += page.processed;
    failed += page.failed;
    cursor = page.cursor;
    if (!cursor) {
      finished = true;
      break;
    }
  }
  const now = deps.now().toISOString();
  const next: BulkJobView = {
    ...job,
    status: finished || processed === 0 ? 'done' : 'running',
    processed: job.processed + processed,
    failed: job.failed + failed,
    updatedAt: now,
    finishedAt: finished || processed === 0 ? now : null,
  };
  await deps.jobs.save(next);
  deps.logger.info('bulk job step', {
    jobId: job.id,
    kind: job.kind,
    processed,
    total: next.processed,
    done: finished,
  });
  if (next.status === 'done') return { kind: 'done', job: next };
  await deps.jobQueue.publish(event, STEP_DELAY_SECONDS);
  return { kind: 'continued', job: next };
}
