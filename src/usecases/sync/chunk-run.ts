import type { SyncConfig, TargetMapping } from '../../domain/config';
import type { Finding } from '../../domain/finding';
import type { FindingState, LinkedState } from '../../domain/finding-state';
import type { SyncMoment } from '../../domain/finding-state-transitions';
import type { IssueTypeMeta } from '../../domain/issue-fields';
import { tallyStyle, type StyleToken } from '../../domain/issue-style';
import { JiraApiError, QuotaExhaustedError, TransientError } from '../errors';
import { JiraMetadata } from '../issue-type-meta';
import type { CommentSyncDeps } from '../sync-comments';
import { guardWrites, type LaneLeases } from './lane-leases';
import type {
  CacheStore,
  CounterName,
  DeadLetterRecord,
  DeadLetterStore,
  FindingStateStore,
  GroupStore,
  InboxItem,
  IssueLinkRecord,
  JiraGateway,
  LinkNotifier,
  LinkStore,
} from '../ports';

/**
 * One attempt at one chunk: what the create and update paths share — the configuration, Jira
 * metadata, and what they record (outcomes per finding, state writes, dead letters, the longest
 * transient failure to retry after). Nothing is written until `flush`.
 */

export type ChunkRunDeps = {
  jira: JiraGateway;
  states: FindingStateStore;
  links: LinkStore;
  linkNotifier: LinkNotifier;
  deadLetters: DeadLetterStore;
  cache: CacheStore;
  groups: GroupStore;
  /** Platform → Jira comments (sync-comments.ts); absent: comments are not synced. */
  comments?: CommentSyncDeps;
};

export type JiraRefusal = { status: number; fieldErrors: Record<string, string>; errorMessages: string[] };

export function refusalOf(error: JiraApiError): JiraRefusal {
  return { status: error.status, fieldErrors: error.errors, errorMessages: error.errorMessages };
}

export function summariseJiraError(error: JiraRefusal): string {
  const fields = Object.keys(error.fieldErrors);
  if (fields.length > 0) return `Jira refused the issue (${error.status}) because of field(s) ${fields.join(', ')}`;
  return `Jira refused the request (${error.status})${error.errorMessages[0] ? `: ${error.errorMessages[0]}` : ''}`;
}

export type SyncCounts = Partial<Record<CounterName, number>>;

export class ChunkRun {
  readonly counts: SyncCounts = {};
  /** What happened to each finding in this attempt (merged with earlier attempts by the stats store). */
  readonly outcomes: Record<string, Array<CounterName | StyleToken>> = {};
  /** Findings that failed in this attempt, for the chunk's log line. */
  readonly failures: Array<{ findingId: string; stage: DeadLetterRecord['stage']; issueKey?: string }> = [];
  /** Findings whose issue was written without its owner as assignee (Jira refused the account). */
  readonly assigneeDropped: string[] = [];
  /** Linked issues found deleted in Jira. */
  readonly deletedIssues: string[] = [];
  readonly moment: SyncMoment;
  private readonly stateWrites = new Map<string, FindingState>();
  private readonly letters: DeadLetterRecord[] = [];
  /** Findings that had a dead letter and have now synced. */
  private readonly healed = new Set<string>();
  private readonly meta: JiraMetadata;
  private deferred: TransientError | undefined;
  /** The dependencies, with every Jira write behind the lane leases (renewed, or the attempt stops). */
  readonly deps: ChunkRunDeps;

  constructor(
    deps: ChunkRunDeps,
    readonly config: SyncConfig,
    revision: number,
    readonly now: Date,
    /** The lane whose lease this attempt holds. */
    readonly lane: string,
    /** The leases this attempt holds: its lane's, and those its groups take (`group-issues.ts`). */
    readonly leases: LaneLeases,
    /** The inbox chunk being synced (issue-style tallies remember it, so a retry counts a change once). */
    readonly chunkKey: string,
  ) {
    const { comments } = deps;
    this.deps = {
      ...deps,
      jira: guardWrites(deps.jira, ['bulkCreateIssues', 'editIssue', 'transitionIssue'], leases),
      states: guardWrites(deps.states, ['putMany'], leases),
      links: guardWrites(deps.links, ['saveMany'], leases),
      linkNotifier: guardWrites(deps.linkNotifier, ['issuesLinked', 'statusChanged'], leases),
      deadLetters: guardWrites(deps.deadLetters, ['saveMany', 'deleteMany'], leases),
      groups: guardWrites(deps.groups, ['putMany'], leases),
      ...(comments
        ? {
            comments: {
              ...comments,
              jira: guardWrites(comments.jira, ['addComment', 'updateComment', 'deleteComment'], leases),
              records: guardWrites(comments.records, ['put'], leases),
            },
          }
        : {}),
    };
    this.moment = { now, configRevision: revision };
    this.meta = new JiraMetadata({ jira: this.deps.jira, cache: deps.cache });
  }

  count(name: CounterName, findingKey: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    (this.outcomes[findingKey] ??= []).push(name);
  }

  /** Stores `state` at the next flush; a newly linked finding that had a dead letter loses it. */
  write(written: FindingState, previous?: FindingState): void {
    const { state, tokens } = tallyStyle(written, this.chunkKey);
    if (tokens.length > 0) (this.outcomes[state.findingKey] ??= []).push(...tokens);
    this.stateWrites.set(state.findingKey, state);
    if (
      (previous?.outcome === 'dead' || previous?.outcome === 'pending') &&
      state.outcome === 'linked' &&
      state.settled
    )
      this.healed.add(state.findingKey);
  }

  deadLetter(
    item: InboxItem,
    lane: string,
    stage: DeadLetterRecord['stage'],
    reason: string,
    jira?: JiraRefusal,
    issueKey?: string,
  ): void {
    this.letters.push({
      findingKey: item.findingKey,
      findingId: item.finding.id,
      source: item.source,
      lane,
      stage,
      reason,
      ...(jira ? { status: jira.status } : {}),
      fieldErrors: jira?.fieldErrors ?? {},
      errorMessages: jira?.errorMessages ?? [],
      ...(issueKey ? { issueKey } : {}),
      failedAt: this.now.toISOString(),
      finding: item.finding,
    });
    this.count('failed', item.findingKey);
    this.failures.push({ findingId: item.finding.id, stage, ...(issueKey ? { issueKey } : {}) });
  }

  /**
   * Writes what is known so far (dead letters, then states). Called after each phase and before a retry. Like
   * every write of the attempt, under its lane leases: renewed first when low, and a lost one stops it.
   */
  async flush(): Promise<void> {
    if (this.letters.length > 0) await this.deps.deadLetters.saveMany(this.letters.splice(0));
    if (this.healed.size > 0) {
      const keys = [...this.healed];
      this.healed.clear();
      await this.deps.deadLetters.deleteMany(keys);
    }
    if (this.stateWrites.size > 0) {
      const states = [...this.stateWrites.values()];
      this.stateWrites.clear();
      await this.deps.states.putMany(states);
    }
  }

  /** A transient failure: the chunk is retried after the longest wait asked for. */
  defer(error: TransientError): void {
    // A spent Jira quota outranks every other wait: it pauses the whole sync (sync-chunk.ts).
    const quota = (e: TransientError | undefined) => e instanceof QuotaExhaustedError;
    if (quota(this.deferred) && !quota(error)) return;
    if (!this.deferred || (quota(error) && !quota(this.deferred)) || error.retryAfterMs > this.deferred.retryAfterMs)
      this.deferred = error;
  }

  get deferredError(): TransientError | undefined {
    return this.deferred;
  }

  async assigneeFor(finding: Finding, mapping: TargetMapping): Promise<string | undefined> {
    if (finding.owner?.accountId) return finding.owner.accountId;
    if (finding.owner?.email) {
      const accountId = await this.meta.accountIdForEmail(finding.owner.email);
      if (accountId) return accountId;
    }
    return mapping.defaultAssigneeAccountId;
  }

  metaFor(mapping: TargetMapping): Promise<IssueTypeMeta> {
    return this.meta.issueTypeMeta(mapping.projectKey, {
      ...(mapping.issueTypeId ? { id: mapping.issueTypeId } : {}),
      ...(mapping.issueTypeName ? { name: mapping.issueTypeName } : {}),
    });
  }

  editFields(meta: IssueTypeMeta, issueId: string): Promise<IssueTypeMeta['fields'] | undefined> {
    return this.meta.editFields(meta, issueId);
  }

  linkRecord(item: InboxItem, state: LinkedState): IssueLinkRecord {
    return {
      issueId: state.issueId,
      issueKey: state.issueKey,
      findingId: item.finding.id,
      source: item.source,
      findingKey: item.findingKey,
      projectKey: state.projectKey ?? '',
      mappingId: state.lane,
      linkedAt: this.now.toISOString(),
    };
  }

  /**
   * The platform hears of a link before it is stored: a crash in between re-sends the same callback (same id), never
   * none.
   */
  async saveLinks(links: IssueLinkRecord[]): Promise<void> {
    if (links.length === 0) return;
    await this.deps.linkNotifier.issuesLinked(links);
    await this.deps.links.saveMany(links);
  }
}
