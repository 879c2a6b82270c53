import { kvs } from './kvs-client';
import { IssueSyncStateSchema } from '../domain/event-ordering';
import { parseFindingState } from '../domain/finding-state';
import type { IssueEventStore } from '../usecases/callback-ports';
import { callbackKeys } from './callback-keys';
import { keys } from './keys';
import { outboxRepository } from './outbox-repository';

/**
 * Kept long enough for any later update of the finding; after that a sync that still holds the
 * link finds the issue gone (404) and records the deletion itself.
 */
const ISSUE_DELETION_TTL_DAYS = 90;

/**
 * What an issue event reads and writes: the issue's ordering state (`cb:issue:<id>`), the finding's
 * sync state (read only: the findings → Jira sync owns `finding:<key>`; a deletion is written to
 * `finding-deleted:<key>` for it to apply) and the link
 * (`link:issue:<id>`). `commit` writes everything one event changes in a single transaction.
 */
export const issueEventStore: IssueEventStore = {
  async getIssueState(issueId) {
    const value = await kvs.get(callbackKeys.issueState(issueId));
    if (value === undefined) return undefined;
    const parsed = IssueSyncStateSchema.safeParse(value);
    if (!parsed.success)
      throw new Error(`Stored state of issue ${issueId} is corrupt: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  },
  async getFindingState(findingKey) {
    const value = await kvs.get(keys.findingState(findingKey));
    if (value === undefined) return undefined;
    const parsed = parseFindingState(value);
    if (!parsed.ok) throw new Error(`Stored state of finding ${findingKey} is corrupt: ${parsed.message}`);
    return parsed.state;
  },
  getOutboxEntry(callbackId) {
    return outboxRepository.get(callbackId);
  },
  async commit(change) {
    const tx = kvs.transact();
    let operations = 0;
    if (change.outbox) {
      tx.set(callbackKeys.outbox(change.outbox.id), change.outbox);
      operations++;
    }
    for (const entry of change.outboxes ?? []) {
      tx.set(callbackKeys.outbox(entry.id), entry);
      operations++;
    }
    if (change.issueDeletion) {
      tx.set(keys.findingDeletion(change.issueDeletion.findingKey), change.issueDeletion, undefined, {
        ttl: { value: ISSUE_DELETION_TTL_DAYS, unit: 'DAYS' },
      });
      operations++;
    }
    if (change.unlinkIssueId !== undefined) {
      tx.delete(keys.issueLink(change.unlinkIssueId));
      tx.delete(callbackKeys.issueState(change.unlinkIssueId));
      operations += 2;
    } else if (change.issueState) {
      tx.set(callbackKeys.issueState(change.issueState.issueId), change.issueState);
      operations++;
    }
    if (operations === 0) return;
    if (
      operations === 1 &&
      change.issueState &&
      !change.outbox &&
      !change.outboxes?.length &&
      !change.issueDeletion &&
      change.unlinkIssueId === undefined
    ) {
      await kvs.set(callbackKeys.issueState(change.issueState.issueId), change.issueState);
      return;
    }
    await tx.execute();
  },
};
