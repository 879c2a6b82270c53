import { BULK_JOB_KINDS, type AdminResult, type BulkJobKind, type BulkJobView } from '../../contracts/admin-api';
import type { CallbackQueueEvent, OutboxEntry } from '../callback-ports';
import type { ReplayDeps as CallbackReplayDeps } from '../deliver-platform-callbacks';
import { TransientError } from '../errors';
import type { Logger } from '../ports';
import { requeueDeadLetters, type ReplayDeps as DeadLetterReplayDeps } from './replay-dead-letter';

/**
 * Bulk actions of the Health tab (Replay all dead callbacks, re-sync all dead letters) as queued
 * background jobs. The resolver only records the job and queues its first step, so it answers at
 * once whatever the number of items; each step (a queue event on `admin-jobs`) replays up to
 * `STEP_ITEMS` items, saves the progress the page shows, and queues the next step after
 * `STEP_DELAY_SECONDS`, which keeps a large replay inside Forge's 500 queue events per minute.
 * Replayed items leave the dead-letter prefix, so every step starts from the first page.
 *
 * Forge allows 1,000 queue pushes in a chain of events started by one invocation; the steps of a large job (100
 * callbacks and the next step each) reach it. A step whose push is refused pauses the job, keeping the callbacks it
 * revived but could not queue; the next invocation outside the chain — the Health tab reading the job (`jobs/get`),
 * or the hourly check — resumes it with a new chain, and that step queues the kept callbacks first.
 */

/** The job as stored: the page's view, plus what a pause keeps. */
export type StoredBulkJob = BulkJobView & { pausedAt?: string | null; unqueued?: CallbackQueueEvent[] };

export interface BulkJobStore {
  get(kind: BulkJobKind): Promise<StoredBulkJob | undefined>;
  getAll(): Promise<BulkJobView[]>;
  save(job: StoredBulkJob): Promise<void>;
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

type PageOutcome = {
  processed: number;
  failed: number;
  cursor: string | undefined;
  seen: number;
  /** The queue refused the page's push: revived callbacks not queued (empty for dead letters, swept by the inbox). */
  refused?: CallbackQueueEvent[];
};

const PAUSED_MESSAGE =
  "Paused at Forge's limit of queue events per chain; continues when this page shows the job, or within the hour.";

async function publishRefused(deps: BulkJobDeps, events: ReadonlyArray<CallbackQueueEvent>): Promise<boolean> {
  try {
    await deps.callbacks.queue.publish(events);
    return false;
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
    return true;
  }
}

async function replayCallbackPage(cursor: string | undefined, deps: BulkJobDeps): Promise<PageOutcome> {
  const { outbox, now, newToken } = deps.callbacks;
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
  const events = revived.map((e) => ({ outboxId: e.id, partition: e.partition, token: e.token }));
  const refused = events.length > 0 && (await publishRefused(deps, events));
  return {
    processed: revived.length,
    failed: 0,
    cursor: page.cursor,
    seen: page.letters.length,
    ...(refused ? { refused: events } : {}),
  };
}

async function replayDeadLetterPage(cursor: string | undefined, deps: BulkJobDeps): Promise<PageOutcome> {
  const page = await deps.letters.deadLetters.list({ limit: PAGE, ...(cursor ? { cursor } : {}) });
  const { queued, refused } = await requeueDeadLetters(page.letters, deps.letters);
  return {
    processed: queued,
    failed: 0,
    cursor: page.cursor,
    seen: page.letters.length,
    ...(refused ? { refused: [] } : {}),
  };
}

const PAGE_RUNNERS: Record<BulkJobKind, (cursor: string | undefined, deps: BulkJobDeps) => Promise<PageOutcome>> = {
  'replay-dead-callbacks': replayCallbackPage,
  'replay-dead-letters': replayDeadLetterPage,
};

/** One step of a job (the `admin-jobs` consumer). A step for a job that was replaced or finished does nothing. */
export async function runBulkJobStep(
  event: BulkJobEvent,
  deps: BulkJobDeps,
): Promise<{ kind: 'stale' } | { kind: 'continued' | 'done' | 'paused'; job: BulkJobView }> {
  const job = await deps.jobs.get(event.kind);
  if (!job || job.id !== event.jobId || job.status === 'done' || job.status === 'failed') return { kind: 'stale' };
  // Resumed after a pause: the callbacks revived but not queued go first.
  if (job.unqueued && job.unqueued.length > 0 && (await publishRefused(deps, job.unqueued)))
    return pause(deps, job, job.unqueued);
  let processed = 0;
  let failed = 0;
  let cursor: string | undefined;
  let finished = false;
  let refused: CallbackQueueEvent[] | undefined;
  // Within one step the cursor skips what could not be replayed; the next step starts over (the replayed are gone).
  while (processed < STEP_ITEMS) {
    const page = await PAGE_RUNNERS[event.kind](cursor, deps);
    processed += page.processed;
    failed += page.failed;
    cursor = page.cursor;
    refused = page.refused;
    if (!cursor) finished = true;
    if (!cursor || refused) break;
  }
  const now = deps.now().toISOString();
  const done = (finished || processed === 0) && !refused;
  const next: StoredBulkJob = {
    ...job,
    status: done ? 'done' : 'running',
    processed: job.processed + processed,
    failed: job.failed + failed,
    updatedAt: now,
    finishedAt: done ? now : null,
    unqueued: [],
  };
  if (refused) return pause(deps, next, refused);
  await deps.jobs.save(next);
  deps.logger.info('bulk job step', {
    jobId: job.id,
    kind: job.kind,
    processed,
    total: next.processed,
    done: finished,
  });
  if (next.status === 'done') return { kind: 'done', job: next };
  try {
    await deps.jobQueue.publish(event, STEP_DELAY_SECONDS);
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
    return pause(deps, next, []);
  }
  return { kind: 'continued', job: next };
}

async function pause(
  deps: BulkJobDeps,
  job: StoredBulkJob,
  unqueued: CallbackQueueEvent[],
): Promise<{ kind: 'paused'; job: BulkJobView }> {
  const paused: StoredBulkJob = {
    ...job,
    status: 'running',
    updatedAt: deps.now().toISOString(),
    pausedAt: deps.now().toISOString(),
    message: PAUSED_MESSAGE,
    unqueued,
  };
  await deps.jobs.save(paused);
  deps.logger.warn('bulk job paused: queue push refused', { jobId: job.id, kind: job.kind, unqueued: unqueued.length });
  return { kind: 'paused', job: viewOf(paused) };
}

export function viewOf(job: StoredBulkJob): BulkJobView {
  const { pausedAt: _pausedAt, unqueued: _unqueued, ...view } = job;
  return view;
}

/** Resumes a paused job of `kind` with a new event chain (an invocation that is not an event); answers the job. */
export async function resumeBulkJob(kind: BulkJobKind, deps: BulkJobDeps): Promise<BulkJobView | undefined> {
  const job = await deps.jobs.get(kind);
  if (!job?.pausedAt || job.status !== 'running') return job ? viewOf(job) : undefined;
  try {
    await deps.jobQueue.publish({ jobId: job.id, kind });
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
    return viewOf(job);
  }
  const resumed: StoredBulkJob = { ...job, pausedAt: null, message: null, updatedAt: deps.now().toISOString() };
  await deps.jobs.save(resumed);
  deps.logger.info('bulk job resumed', { jobId: job.id, kind });
  return viewOf(resumed);
}

/** The hourly check: resumes every paused job. */
export async function resumePausedJobs(deps: BulkJobDeps): Promise<void> {
  for (const kind of BULK_JOB_KINDS) await resumeBulkJob(kind, deps);
}
