import { isStaleVersion } from '../../domain/finding-state';
import { applyIssueDeletion } from '../../domain/issue-deletion';
import { isOpenInScope } from '../../domain/scan-scope';
import { triageChunk } from '../../domain/sync-triage';
import { QuotaExhaustedError, TransientError } from '../errors';
import type { InboxItem } from '../ports';
import type { ScopeIndexChange } from '../scan-ports';
import { ChunkRun, type SyncCounts } from './chunk-run';
import {
  logChunk,
  MAX_INVOCATION_RETRIES,
  retryOrRequeue,
  waitForPause,
  type SyncChunkDeps,
  type SyncChunkInput,
  type SyncChunkResult,
} from './chunk-retry';
import { createIssues } from './create-issues';
import { LaneLeases } from './lane-leases';
import { syncGroups } from './group-issues';
import { sweepLaneAfterRun } from './sweep-inbox';
import { updateIssues } from './update-issues';
import { syncChunkComments } from '../sync-comments';

/**
 * The sync consumer's use case: one inbox chunk (≤ 50 findings of one lane) → Jira, exactly once.
 *
 *   load chunk → take the lane lease → triage (pure) → per routing target: recover pending marks,
 *   mark pending, bulk create, link → update linked issues → group issues (`group-issues.ts`) →
 *   stats → delete the chunk → release
 *
 * The lane lease (one consumer per routing target at a time) excludes concurrent creators: it lasts a minute, is
 * renewed before a write when less than 30 s is left, and a holder that lost it (too slow) stops before writing. Each
 * finding is marked `pending` before the bulk create that holds it; every create request stores
 * the finding key in an entity property of the issue itself, so an attempt that finds a mark
 * searches Jira (JQL on that property) before creating anything. Only this use case writes finding
 * states; issue deletions seen by the Jira → platform flow are their own records, applied here.
 *
 * Crash points — every SDK call of the protocol, in order: "crash after X → the next attempt (Forge
 * redelivers the event; at-least-once) sees Y → does Z". Nothing is lost and no issue is created twice.
 *
 * - inbox load (KVS get) → the same chunk → the whole protocol
 * - lease take (KVS set, FAIL_IF_EXISTS; `lane-leases.ts`) → the lane busy until the lease's expiry (60 s, in the
 *   value) → the retry after it takes the lease over (one waiter wins), then all
 * - config / states / deletions / metadata reads → nothing changed (metadata cache: same data) → the whole protocol
 * - settled states write (skipped, unrouted…) → those states, same version → triages them the same way again; the same
 *   states are rewritten
 * - JQL search for pending marks → the same marks → searches again
 * - recovered links: platform callback queued → the marks still pending → finds the issues again; the callback is
 *   re-queued with the same id
 * - recovered links: link records written → the marks still pending → finds them again; the same link keys are
 *   rewritten
 * - pending marks write (KVS batch set) → `pending`, no issue in Jira → searches (finds none), marks again, creates
 * - bulk create (Jira) → `pending`, the issues in Jira → finds them, links them (`recovered`), updates them to this
 *   version
 * - assignee-refused marks write → `pending` with the refusal → as above; a re-create refused again is retried without
 *   the assignee
 * - second bulk create (no assignee) → `pending` with the refusal, the issues → finds and links them, the reason naming
 *   the refused account
 * - links: platform callback queued / written → `pending`, the issues → finds them, re-sends the same callback id,
 *   rewrites the link
 * - dead letters write → `pending`, no issue → creates again; Jira refuses again; the same dead letter is rewritten
 * - healed dead letters delete → `pending`, the issue in Jira → finds and links it (`recovered`); its old dead letter
 *   is already gone
 * - states write (linked / dead) → `linked` settled, `dead` → linked: unchanged, no Jira call; dead: creates again (a
 *   retry)
 * - issue edit / transition (Jira) → `linked` with the old fingerprint → edits again (same values); the transition
 *   finds the status reached
 * - states write after updates → `linked` settled → unchanged, no Jira call
 * - group pending marks write (KVS batch set) → the group `pending`, no issue → searches by group id (finds none),
 *   creates (`group-issues.ts`)
 * - group bulk create (Jira) → the group `pending`, its issue in Jira → finds it, links it (`recovered`), edits it to
 *   the current members
 * - group records write → the group linked, members not yet linked → same rendered hash: no Jira write; links members
 * - group edit / transition (Jira) → the old `written` hash / done flag → edits again (same values); the move finds
 *   the status reached
 * - stats record (KVS get + set) → everything settled → `unchanged` outcomes, merged into the same record (never
 *   counted twice)
 * - re-queue (queue push, after 4 retries) → two deliveries of the chunk → the lease serialises them; the second does
 *   the rest or finds it done
 * - chunk delete (KVS delete) → no chunk → deletes the chunk's due record (done)
 * - due record delete (KVS delete) → no chunk → deletes it again (done)
 * - lane sweep (due records query, due writes, queue push) → — → overdue chunks of the lane are re-queued by the next
 *   run or the hourly check (`sweep-inbox.ts`)
 * - lease renewal (before a write, when < 30 s is left: step key, lease) → as a crash at that write
 * - lease release (KVS delete) → — → (the lane's next chunk waits for the lease's expiry at worst)
 *
 * Jira's hourly points quota (a 429 with `RateLimit-Reason: jira-quota-*`) pauses the whole sync: the chunk that
 * meets it records "paused until <reset>" (KVS `sync:pause`), and every chunk reads that record first and, while it
 * holds, is re-queued as a new event delayed to the reset (≤ 900 s a hop) — no Jira call, no retry spent.
 *
 * Failures: 429 / 5xx / network / KVS quota → `retry` (the handler answers InvocationError with
 * Retry-After; the chunk's due record moves to the retry's time); after Forge's 4 retries the chunk is re-queued as
 * a new event. A re-queue the queue refuses (rate, the event chain's 1,000-push limit) leaves the chunk to the inbox
 * sweep (`left-for-sweep`): never a stored chunk that nothing will run. Jira's 4xx for one
 * finding → a dead letter with Jira's field errors; the rest of the chunk goes on. Logs: one line
 * per chunk (counts by outcome, the ids of failed findings).
 */

export { LANE_LEASE_SECONDS, LeaseLostError } from './lane-leases';
export {
  MAX_INVOCATION_RETRIES,
  MAX_REQUEUES,
  type SyncChunkDeps,
  type SyncChunkInput,
  type SyncChunkResult,
} from './chunk-retry';
export type { SyncCounts };

/**
 * Triage, then the create path per routing target, then the update path; writes after each phase. Returns the items
 * not stale, with the scope each one's state named before (its index entry there goes when the scope changed).
 */
async function syncItems(run: ChunkRun, items: ReadonlyArray<InboxItem>): Promise<ScopedItem[]> {
  const states = await run.deps.states.getMany(items.map((item) => item.findingKey));
  const current = items.flatMap((item): ScopedItem[] => {
    const state = states.get(item.findingKey);
    return !state || !isStaleVersion(item.finding, state) ? [{ item, previousScope: state?.scope }] : [];
  });
  // Deletions seen by the Jira → platform flow, for the findings still linked (one read each); a
  // group issue's deletion is recorded under the group id and applies to every member.
  const linked = [...states.values()].filter((s) => s.outcome === 'linked');
  const deletions = await run.deps.states.getDeletions([
    ...new Set(linked.flatMap((s) => (s.groupId !== undefined ? [s.findingKey, s.groupId] : [s.findingKey]))),
  ]);
  for (const state of linked) {
    const deletion = deletions.get(state.findingKey) ?? (state.groupId ? deletions.get(state.groupId) : undefined);
    if (deletion) states.set(state.findingKey, applyIssueDeletion(state, deletion));
  }

  const triage = triageChunk({ items, states, config: run.config, moment: run.moment });
  for (const { item, outcome, state } of triage.settled) {
    run.count(outcome, item.findingKey);
    if (state) run.write(state);
  }
  await run.flush();

  const updates = [...triage.updates];
  for (const group of triage.creates) {
    updates.push(...(await createIssues(run, group)));
    await run.flush();
  }
  await updateIssues(run, updates);
  await run.flush();
  await syncGroups(run, triage.grouped);
  await run.flush();
  // Comments last, on the states just written: a finding's comments follow its issue.
  const comments = run.deps.comments;
  const withComments = items.filter((item) => item.finding.comments !== undefined);
  if (comments && run.config.comments.toJira && withComments.length > 0) {
    const linked = await run.deps.states.getMany(withComments.map((item) => item.findingKey));
    await syncChunkComments(withComments, linked, comments);
  }
  return current;
}

type ScopedItem = { item: InboxItem; previousScope: string | undefined };

/**
 * Open findings of a scope are listed in its index (with their last version); closed ones leave it, and so does a
 * finding whose scope changed (its entry in the scope its state named before).
 */
function scopeIndexChanges(items: ReadonlyArray<ScopedItem>, lane: string): ScopeIndexChange[] {
  return items.flatMap(({ item, previousScope }): ScopeIndexChange[] => {
    if (item.scope === undefined) return [];
    const { findingKey, source, finding } = item;
    const moved: ScopeIndexChange[] =
      previousScope !== undefined && previousScope !== item.scope
        ? [{ scopeId: previousScope, findingKey, open: false }]
        : [];
    return isOpenInScope(finding)
      ? [...moved, { scopeId: item.scope, findingKey, open: true, entry: { findingKey, source, lane, finding } }]
      : [...moved, { scopeId: item.scope, findingKey, open: false }];
  });
}

export async function syncFindingChunk(input: SyncChunkInput, deps: SyncChunkDeps): Promise<SyncChunkResult> {
  try {
    const now = deps.now();
    const pause = await deps.pause.get();
    if (pause && Date.parse(pause.until) > now.getTime()) {
      const result = await waitForPause(input, deps, pause, now, {});
      logChunk(deps, input, result, undefined, pause.reason);
      return result;
    }
    return await syncOnce(input, deps, now);
  } catch (error) {
    // A storage or queue failure outside the Jira phases (loading the chunk, the lease, the stats): retried too.
    if (!(error instanceof TransientError)) throw error;
    const result = await retryOrRequeue(input, deps, error, {});
    logChunk(deps, input, result, undefined, error.reason);
    return result;
  }
}

async function syncOnce(input: SyncChunkInput, deps: SyncChunkDeps, now: Date): Promise<SyncChunkResult> {
  const chunk = await deps.inbox.load(input.chunkKey);
  if (!chunk) {
    // Finished by an earlier delivery; its due record may have outlived it (a crash between the two deletes).
    await deps.inbox.forgetDue(input.chunkKey, input.lane);
    return { kind: 'done', counts: {} };
  }

  const leases = new LaneLeases(deps);
  const lease = await leases.take(input.lane);
  if (!lease.acquired) {
    const waitMs = lease.expiresAt ? lease.expiresAt.getTime() - now.getTime() : 30_000;
    const message = `Another consumer is syncing lane ${input.lane}`;
    const busy =
      input.retryCount >= MAX_INVOCATION_RETRIES
        ? new TransientError(message, Math.max(5_000, waitMs + 1_000), 'lane-busy')
        : new TransientError(message, Math.min(60_000, Math.max(5_000, waitMs)), 'lane-busy');
    const result = await retryOrRequeue(input, deps, busy, {});
    if (result.kind !== 'retry') logChunk(deps, input, result, undefined, 'lane-busy');
    return result;
  }

  try {
    const { config, revision } = await deps.config.load();
    const run = new ChunkRun(deps, config, revision, now, input.lane, leases, input.chunkKey);
    let current: ScopedItem[] = [];
    try {
      current = await syncItems(run, chunk.items);
    } catch (error) {
      // Jira and storage adapters translate their failures: a transient one is retried, keeping what is done.
      if (!(error instanceof TransientError)) throw error;
      // A lost lease writes nothing more: the new holder redoes what this attempt did not record.
      if (!leases.lost) await run.flush();
      run.defer(error);
    }
    const deferred = run.deferredError;
    await deps.stats.recordChunk(input.chunkKey, run.outcomes, now);
    let result: SyncChunkResult;
    if (deferred instanceof QuotaExhaustedError) {
      const spent = { until: deferred.resetAt.toISOString(), since: now.toISOString(), reason: deferred.limitReason };
      await deps.pause.pause(spent);
      result = await waitForPause(input, deps, spent, now, run.counts);
    } else if (deferred) result = await retryOrRequeue(input, deps, deferred, run.counts);
    else {
      // The complete-scan index follows what was synced, before the chunk is gone (a crash redoes both).
      await deps.scopeIndex.apply(scopeIndexChanges(current, chunk.lane));
      await deps.inbox.delete(input.chunkKey, input.lane);
      result = { kind: 'done', counts: run.counts };
      await sweepLaneAfterRun(deps, input);
    }
    logChunk(deps, input, result, run, deferred?.reason);
    return result;
  } finally {
    await leases.releaseAll();
  }
}
