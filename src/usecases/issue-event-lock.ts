import type { HeldLease, Logger } from './ports';

/**
 * One issue's events are applied one at a time. Forge delivers product events at least once, in no
 * order and in parallel; without this, two updates of one issue read the same stored state, both
 * decide, and the older one can be written last — a stale "latest" and a wrong final status for the
 * platform. KVS offers no conditional write on plain keys, so each issue has a lease (`domain/lease.ts`), taken
 * atomically (`FAIL_IF_EXISTS`), lasting longer than a trigger can run (25 s): a live holder always still owns it,
 * and one that died is taken over by exactly one waiting event when its expiry (stored in the value) has passed.
 */

export const ISSUE_EVENT_LOCK_TTL_SECONDS = 60;
/** How long an event waits in-process for another event of its issue before asking Forge for a retry. */
export const ISSUE_EVENT_LOCK_WAIT_MS = 10_000;

export type LockAttempt = { acquired: true; lease: HeldLease } | { acquired: false; expiresAt: Date | undefined };

export interface IssueEventLockPort {
  acquire(issueId: string, token: string, ttlSeconds: number, now: Date): Promise<LockAttempt>;
  release(lease: HeldLease, now: Date): Promise<void>;
}

export type LockDeps = {
  lock: IssueEventLockPort;
  now: () => Date;
  newToken: () => string;
  sleep: (ms: number) => Promise<void>;
  logger: Logger;
};

export type Locked<T> = { ran: true; result: T } | { ran: false; retryAfterSeconds: number };

/** Runs `work` holding the issue's lease; waits for it a little, else says when to try again. */
export async function withIssueLock<T>(issueId: string, deps: LockDeps, work: () => Promise<T>): Promise<Locked<T>> {
  const token = deps.newToken();
  const started = deps.now().getTime();
  let pause = 25;
  let lease: HeldLease;
  for (;;) {
    const now = deps.now();
    const attempt = await deps.lock.acquire(issueId, token, ISSUE_EVENT_LOCK_TTL_SECONDS, now);
    if (attempt.acquired) {
      lease = attempt.lease;
      break;
    }
    if (now.getTime() - started >= ISSUE_EVENT_LOCK_WAIT_MS) {
      const left = attempt.expiresAt ? Math.ceil((attempt.expiresAt.getTime() - now.getTime()) / 1000) : 5;
      deps.logger.info('issue busy with another event; asking for a retry', { issueId, retryAfterSeconds: left });
      return { ran: false, retryAfterSeconds: Math.min(ISSUE_EVENT_LOCK_TTL_SECONDS, Math.max(1, left)) };
    }
    await deps.sleep(pause);
    pause = Math.min(pause * 2, 500);
  }
  try {
    return { ran: true, result: await work() };
  } finally {
    await deps.lock.release(lease, deps.now());
  }
}
