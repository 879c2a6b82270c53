import { plainTextToAdf } from '../domain/adf';
import type { SyncConfig, TargetMapping } from '../domain/config';
import type { Finding, FindingStatus } from '../domain/finding';
import { computeContentHash, type FindingState } from '../domain/finding-state';
import { diffFingerprints } from '../domain/fingerprint';
import { applyIssueDeletion } from '../domain/issue-deletion';
import {
  ASSIGNEE_FIELD_ID,
  buildIssueCreateRequest,
  buildIssueEditFields,
  fingerprintFinding,
  isAssigneeRefusal,
  readAssigneeAccountId,
  removeAssignee,
  type IssueTypeMeta,
} from '../domain/issue-fields';
import { decidePolicy } from '../domain/policy';
import { routeFinding } from '../domain/routing';
import { resolveStatusTarget } from '../domain/status-mapping';
import { JiraApiError, TransientError } from './errors';
import { UNROUTED_LANE } from './ingest-findings';
import { JiraMetadata } from './issue-type-meta';
import { moveIssueToStatus } from './move-issue-to-status';
import type {
  BulkCreateResult,
  CacheStore,
  ConfigStore,
  CounterName,
  DeadLetterRecord,
  DeadLetterStore,
  FindingStateStore,
  InboxItem,
  InboxStore,
  IssueLinkRecord,
  JiraGateway,
  LeaseStore,
  LinkStore,
  Logger,
  StatsStore,
  SyncQueue,
  LinkNotifier,
} from './ports';

/**
 * The sync consumer's use case: one inbox chunk (≤ 50 findings of one lane) → Jira.
 *
 * Exactly once: the lane lease (one consumer per routing target at a time) excludes concurrent
 * creators; each finding's state is marked `pendingCreateSince` before the bulk create that holds
 * it, and a later attempt that finds such a mark first searches Jira for the issue through the
 * link entity property (set inside the create request itself) before creating anything.
 *
 * Failures: 429 / 5xx / network → `retry` (the handler answers InvocationError with Retry-After),
 * after Forge's 4 retries the chunk is re-queued as a new event so nothing is lost; Jira's 4xx for
 * one finding → a dead letter with Jira's field errors, the rest of the chunk goes on — except a
 * refused assignee (Jira's `errors.assignee`: unknown or deactivated account), which is sent once
 * more without it and recorded on the finding (`assigneeRefused`, counter `assigneeDropped`).
 *
 * Issue deletions seen by the Jira → platform flow arrive as their own records (`getDeletions`),
 * applied here; only this use case writes finding states. Counters go to one record per chunk,
 * merged over its attempts.
 */

export const LEASE_TTL_SECONDS = 330; // the consumer's timeout (300 s) + a margin
export const MAX_INVOCATION_RETRIES = 4;
export const MAX_REQUEUES = 50;

export type SyncChunkInput = { chunkKey: string; lane: string; requeues: number; retryCount: number };

export type SyncChunkDeps = {
  jira: JiraGateway;
  config: ConfigStore;
  inbox: InboxStore;
  states: FindingStateStore;
  links: LinkStore;
  linkNotifier: LinkNotifier;
  leases: LeaseStore;
  deadLetters: DeadLetterStore;
  stats: StatsStore;
  cache: CacheStore;
  queue: SyncQueue;
  logger: Logger;
  now: () => Date;
  newToken: () => string;
};

export type SyncCounts = Partial<Record<CounterName, number>>;

export type SyncChunkResult =
  | { kind: 'done'; counts: SyncCounts }
  | { kind: 'retry'; retryAfterSeconds: number; reason: TransientError['reason']; message: string; counts: SyncCounts }
  | { kind: 'requeued'; delaySeconds: number; counts: SyncCounts };

const STATUS_WORDS: Record<FindingStatus, string> = {
  open: 'open',
  in_progress: 'in progress',
  resolved: 'resolved',
  false_positive: 'false positive',
  risk_accepted: 'risk accepted',
  reopened: 'reopened',
};

function transitionComment(source: string, status: FindingStatus): unknown {
  const closing = status === 'resolved' || status === 'false_positive' || status === 'risk_accepted';
  return plainTextToAdf(
    closing
      ? `Closed by ${source}: ${STATUS_WORDS[status]}`
      : `Moved by ${source}: the finding is ${STATUS_WORDS[status]}`,
  );
}

function isStale(finding: Finding, state: FindingState): boolean {
  return (
    finding.updatedAt !== undefined &&
    state.updatedAt !== undefined &&
    Date.parse(finding.updatedAt) < Date.parse(state.updatedAt)
  );
}

function describeAssigneeRefusal(refusal: { accountId: string }): string {
  return `Created without the owner as assignee: Jira refused account ${refusal.accountId} (field assignee)`;
}

function summariseJiraError(error: {
  status: number;
  fieldErrors: Record<string, string>;
  errorMessages: string[];
}): string {
  const fields = Object.keys(error.fieldErrors);
  if (fields.length > 0) return `Jira refused the issue (${error.status}) because of field(s) ${fields.join(', ')}`;
  return `Jira refused the request (${error.status})${error.errorMessages[0] ? `: ${error.errorMessages[0]}` : ''}`;
}

/** The mapping of an issue that already exists: the one it was routed through, else today's route. */
function mappingForLinked(state: FindingState, finding: Finding, config: SyncConfig): TargetMapping {
  const byLane =
    config.mappings.find((m) => m.id === state.lane) ??
    (config.defaultMapping?.id === state.lane ? config.defaultMapping : undefined);
  if (byLane) return byLane;
  const route = routeFinding(finding, config);
  if (route.routed && route.mapping.projectKey === state.projectKey) return route.mapping;
  return { id: state.lane, projectKey: state.projectKey ?? '', issueTypeId: state.issueTypeId, labels: [] };
}

type CreateElement = {
  item: InboxItem;
  state: FindingState | undefined;
  request: ReturnType<typeof buildIssueCreateRequest>;
};
type AssigneeRefusal = NonNullable<FindingState['assigneeRefused']>;

class ChunkRun {
  readonly counts: SyncCounts = {};
  private readonly stateWrites = new Map<string, FindingState>();
  private readonly deadLetters: DeadLetterRecord[] = [];
  /** Findings that had a dead letter and have now synced. */
  private readonly healed = new Set<string>();
  private readonly meta: JiraMetadata;
  private deferred: TransientError | undefined;

  constructor(
    private readonly deps: SyncChunkDeps,
    private readonly config: SyncConfig,
    private readonly revision: number,
    private readonly now: Date,
  ) {
    this.meta = new JiraMetadata({ jira: deps.jira, cache: deps.cache });
  }

  /** What happened to each finding in this attempt (merged with earlier attempts by the stats store). */
  readonly outcomes: Record<string, CounterName[]> = {};

  count(name: CounterName, findingKey: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    (this.outcomes[findingKey] ??= []).push(name);
  }

  private base(item: InboxItem, previous: FindingState | undefined): FindingState {
    return {
      ...(previous ?? {}),
      findingKey: item.findingKey,
      findingId: item.finding.id,
      source: item.source,
      lane: previous?.lane ?? UNROUTED_LANE,
      syncedAt: this.now.toISOString(),
    };
  }

  private done(item: InboxItem, state: FindingState): FindingState {
    return {
      ...state,
      contentHash: computeContentHash(item.finding),
      configRevision: this.revision,
      ...(item.finding.updatedAt ? { updatedAt: item.finding.updatedAt } : {}),
    };
  }

  write(state: FindingState, previous?: FindingState): void {
    this.stateWrites.set(state.findingKey, state);
    if (previous?.outcome === 'dead' && state.outcome !== 'dead' && state.contentHash !== undefined)
      this.healed.add(state.findingKey);
  }

  deadLetter(
    item: InboxItem,
    lane: string,
    stage: DeadLetterRecord['stage'],
    reason: string,
    jira?: { status: number; fieldErrors: Record<string, string>; errorMessages: string[] },
    issueKey?: string,
  ): void {
    this.deadLetters.push({
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
    this.deps.logger.warn('finding dead-lettered', {
      findingId: item.finding.id,
      stage,
      reason,
      ...(issueKey ? { issueKey } : {}),
    });
  }

  /** Writes what is known so far (dead letters, then states). Called after each phase and before a retry. */
  async flush(): Promise<void> {
    if (this.deadLetters.length > 0) await this.deps.deadLetters.saveMany(this.deadLetters.splice(0));
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

  defer(error: TransientError): void {
    if (!this.deferred || error.retryAfterMs > this.deferred.retryAfterMs) this.deferred = error;
  }

  get deferredError(): TransientError | undefined {
    return this.deferred;
  }

  private async assigneeFor(finding: Finding, mapping: TargetMapping): Promise<string | undefined> {
    if (finding.owner?.accountId) return finding.owner.accountId;
    if (finding.owner?.email) {
      const accountId = await this.meta.accountIdForEmail(finding.owner.email);
      if (accountId) return accountId;
    }
    return mapping.defaultAssigneeAccountId;
  }

  private metaFor(mapping: TargetMapping): Promise<IssueTypeMeta> {
    return this.meta.issueTypeMeta(mapping.projectKey, {
      ...(mapping.issueTypeId ? { id: mapping.issueTypeId } : {}),
      ...(mapping.issueTypeName ? { name: mapping.issueTypeName } : {}),
    });
  }

  async run(items: ReadonlyArray<InboxItem>): Promise<void> {
    const states = await this.deps.states.getMany(items.map((item) => item.findingKey));
    // Deletions seen by the Jira → platform flow, for the findings still linked (one read each).
    const linkedKeys = [...states.values()].filter((s) => s.outcome === 'linked').map((s) => s.findingKey);
    const deletions = await this.deps.states.getDeletions(linkedKeys);
    for (const [findingKey, deletion] of deletions)
      states.set(findingKey, applyIssueDeletion(states.get(findingKey)!, deletion));
    const creates: Array<{ item: InboxItem; mapping: TargetMapping; state: FindingState | undefined }> = [];
    const updates: Array<{ item: InboxItem; state: FindingState }> = [];

    for (const item of items) {
      const state = states.get(item.findingKey);
      if (state && isStale(item.finding, state)) {
        this.count('unchanged', item.findingKey);
        continue;
      }
      if (state?.outcome === 'linked' && state.issueId) {
        updates.push({ item, state });
        continue;
      }
      if (state?.outcome === 'issue-deleted' && this.config.onDeletedIssue === 'ignore') {
        this.count('unchanged', item.findingKey);
        this.write(this.done(item, { ...this.base(item, state) }));
        continue;
      }
      const route = routeFinding(item.finding, this.config);
      if (!route.routed) {
        this.count('unrouted', item.findingKey);
        this.write(
          this.done(item, {
            ...this.base(item, state),
            lane: UNROUTED_LANE,
            outcome: 'unrouted',
            reason: route.message,
          }),
        );
        continue;
      }
      const policy = decidePolicy(item.finding, route.mapping, this.config);
      if (policy.action === 'skip') {
        this.count('skipped', item.findingKey);
        this.write(
          this.done(item, {
            ...this.base(item, state),
            lane: route.mapping.id,
            outcome: 'skipped',
            reason: policy.message,
          }),
        );
        continue;
      }
      creates.push({ item, mapping: route.mapping, state });
    }
    await this.flush();

    const byMapping = new Map<string, typeof creates>();
    for (const create of creates) {
      const list = byMapping.get(create.mapping.id);
      if (list) list.push(create);
      else byMapping.set(create.mapping.id, [create]);
    }
    for (const group of byMapping.values()) {
      const recoveredUpdates = await this.createIssues(group);
      updates.push(...recoveredUpdates);
      await this.flush();
    }

    for (const update of updates) {
      try {
        await this.updateIssue(update.item, update.state);
      } catch (error) {
        if (error instanceof TransientError) {
          this.defer(error);
          break;
        }
        throw error;
      }
    }
    await this.flush();
  }

  /** Recovers issues a crashed attempt created, then bulk-creates the rest. Returns recovered findings to update. */
  private async createIssues(
    group: Array<{ item: InboxItem; mapping: TargetMapping; state: FindingState | undefined }>,
  ): Promise<Array<{ item: InboxItem; state: FindingState }>> {
    const mapping = group[0]!.mapping;
    const recoveredUpdates: Array<{ item: InboxItem; state: FindingState }> = [];
    const pending = group.filter((c) => c.state?.pendingCreateSince !== undefined);
    const recovered = new Map<string, { issueId: string; issueKey: string }>();
    if (pending.length > 0) {
      for (const issue of await this.deps.jira.findIssuesByFindingKeys(pending.map((c) => c.item.findingKey))) {
        if (!recovered.has(issue.findingKey))
          recovered.set(issue.findingKey, { issueId: issue.issueId, issueKey: issue.issueKey });
      }
    }

    let meta: IssueTypeMeta;
    try {
      meta = await this.metaFor(mapping);
    } catch (error) {
      if (!(error instanceof JiraApiError)) throw error;
      for (const { item } of group) {
        if (recovered.has(item.findingKey)) continue;
        this.deadLetter(
          item,
          mapping.id,
          'create',
          `Project ${mapping.projectKey} or its issue type cannot be used: ${error.message}`,
          { status: error.status, fieldErrors: error.errors, errorMessages: error.errorMessages },
        );
        this.write({
          ...this.base(item, group.find((c) => c.item === item)?.state),
          lane: mapping.id,
          outcome: 'dead',
          reason: 'project-unavailable',
          pendingCreateSince: undefined,
        });
      }
      return recoveredUpdates;
    }

    const links: IssueLinkRecord[] = [];
    const toCreate: CreateElement[] = [];
    for (const { item, state } of group) {
      const found = recovered.get(item.findingKey);
      if (found && state) {
        // A previous attempt created the issue but died before storing the link.
        const linked: FindingState = {
          ...this.base(item, state),
          lane: mapping.id,
          outcome: 'linked',
          reason: state.assigneeRefused ? describeAssigneeRefusal(state.assigneeRefused) : undefined,
          issueId: found.issueId,
          issueKey: found.issueKey,
          projectKey: meta.projectKey,
          issueTypeId: meta.issueTypeId,
          pendingCreateSince: undefined,
          contentHash: undefined,
        };
        links.push(this.link(item, linked, mapping.id));
        this.write(linked);
        this.count('recovered', item.findingKey);
        recoveredUpdates.push({ item, state: linked });
        continue;
      }
      const assigneeAccountId = await this.assigneeFor(item.finding, mapping);
      const request = buildIssueCreateRequest({
        finding: item.finding,
        findingKey: item.findingKey,
        source: item.source,
        mapping,
        config: this.config,
        meta,
        assigneeAccountId,
        now: this.now,
        platformName: item.source,
      });
      toCreate.push({ item, state, request });
    }
    if (links.length > 0) await this.saveLinks(links.splice(0));
    if (toCreate.length === 0) return recoveredUpdates;

    // Mark before creating: a later attempt that sees the mark searches Jira first.
    // (Kept small — no fingerprint — so 25 marks fit one 10 KB KVS unit.)
    await this.deps.states.putMany(
      toCreate.map(({ item, state }) => ({
        ...this.base(item, state),
        lane: mapping.id,
        pendingCreateSince: this.now.toISOString(),
      })),
    );
    const refused = await this.applyCreateResult(
      toCreate,
      await this.deps.jira.bulkCreateIssues(toCreate.map((c) => c.request.request)),
      mapping,
      meta,
      links,
      undefined,
    );
    if (refused.length === 0) {
      await this.saveLinks(links);
      return recoveredUpdates;
    }
    // Jira refused the owner's account as assignee (unknown or deactivated): the issue matters more
    // than its assignee, so those elements are created once more without one. They stay marked
    // pending, so a crash from here on is recovered by the search like any other create.
    await this.saveLinks(links.splice(0));
    // The refusal goes into the pending mark too, so a recovery after a crash still knows why.
    await this.deps.states.putMany(
      refused.map(({ element, refusal }) => ({
        ...this.base(element.item, element.state),
        lane: mapping.id,
        pendingCreateSince: this.now.toISOString(),
        assigneeRefused: refusal,
      })),
    );
    const retry = refused.map((r) => ({
      ...r.element,
      request: { ...r.element.request, request: removeAssignee(r.element.request.request) },
    }));
    const refusals = new Map(refused.map((r) => [r.element.item.findingKey, r.refusal]));
    await this.applyCreateResult(
      retry,
      await this.deps.jira.bulkCreateIssues(retry.map((c) => c.request.request)),
      mapping,
      meta,
      links,
      refusals,
    );
    await this.saveLinks(links);
    return recoveredUpdates;
  }

  /**
   * Records one bulk create's answer: links for created issues, a retry for transient failures,
   * dead letters for the rest. Elements refused only for their assignee are returned for one more
   * try when `refusals` is undefined (the first attempt); on that second try `refusals` holds why.
   */
  private async applyCreateResult(
    elements: ReadonlyArray<CreateElement>,
    result: BulkCreateResult,
    mapping: TargetMapping,
    meta: IssueTypeMeta,
    links: IssueLinkRecord[],
    refusals: Map<string, AssigneeRefusal> | undefined,
  ): Promise<Array<{ element: CreateElement; refusal: AssigneeRefusal }>> {
    const refused: Array<{ element: CreateElement; refusal: AssigneeRefusal }> = [];
    for (const created of result.created) {
      const { item, state, request } = elements[created.index]!;
      const refusal = refusals?.get(item.findingKey);
      const linked: FindingState = this.done(item, {
        ...this.base(item, state),
        lane: mapping.id,
        outcome: 'linked',
        reason: refusal ? describeAssigneeRefusal(refusal) : undefined,
        issueId: created.issueId,
        issueKey: created.issueKey,
        projectKey: meta.projectKey,
        issueTypeId: meta.issueTypeId,
        fingerprint: request.fingerprint,
        findingStatus: item.finding.status,
        pendingCreateSince: undefined,
        assigneeRefused: refusal,
      });
      links.push(this.link(item, linked, mapping.id));
      this.write(linked, state);
      this.count('created', item.findingKey);
      if (refusal) {
        this.count('assigneeDropped', item.findingKey);
        this.deps.logger.warn('issue created without its assignee: Jira refused the account', {
          findingId: item.finding.id,
          issueKey: created.issueKey,
          accountId: refusal.accountId,
        });
      }
      this.deps.logger.info('finding synced', { findingId: item.finding.id, issueKey: created.issueKey });
    }
    for (const failure of result.failed) {
      const element = elements[failure.index]!;
      const { item, state } = element;
      if (failure.status === 429 || failure.status >= 500) {
        this.defer(
          new TransientError(
            `Jira could not create the issue for ${item.finding.id} (${failure.status})`,
            10_000,
            'rate-limited',
          ),
        );
        continue; // stays pending: the retry searches before creating again
      }
      const accountId = readAssigneeAccountId(element.request.request);
      if (
        refusals === undefined &&
        accountId !== undefined &&
        isAssigneeRefusal(element.request.request, failure.fieldErrors)
      ) {
        refused.push({
          element,
          refusal: { accountId, error: failure.fieldErrors[ASSIGNEE_FIELD_ID] ?? '', at: this.now.toISOString() },
        });
        continue; // stays pending until the second try's answer
      }
      // A second try that fails too reports the assignee refusal alongside the new errors.
      const earlier = refusals?.get(item.findingKey);
      const jira = earlier
        ? { ...failure, fieldErrors: { [ASSIGNEE_FIELD_ID]: earlier.error, ...failure.fieldErrors } }
        : failure;
      this.deadLetter(item, mapping.id, 'create', summariseJiraError(jira), jira);
      this.write({
        ...this.base(item, state),
        lane: mapping.id,
        outcome: 'dead',
        reason: summariseJiraError(jira),
        pendingCreateSince: undefined,
      });
    }
    return refused;
  }

  /** The platform hears of a link before it is stored: a crash in between re-sends the same callback (same id), never none. */
  private async saveLinks(links: IssueLinkRecord[]): Promise<void> {
    if (links.length === 0) return;
    await this.deps.linkNotifier.issuesLinked(links);
    await this.deps.links.saveMany(links);
  }

  private link(item: InboxItem, state: FindingState, mappingId: string): IssueLinkRecord {
    return {
      issueId: state.issueId!,
      issueKey: state.issueKey!,
      findingId: item.finding.id,
      source: item.source,
      findingKey: item.findingKey,
      projectKey: state.projectKey!,
      mappingId,
      linkedAt: this.now.toISOString(),
    };
  }

  /** Edits the changed platform-owned fields and follows a status change; zero Jira calls when nothing changed. */
  private async updateIssue(item: InboxItem, state: FindingState): Promise<void> {
    const finding = item.finding;
    const fingerprint = fingerprintFinding(finding, this.config);
    const changed = diffFingerprints(state.fingerprint, fingerprint).filter((part) => part !== 'status');
    const statusChanged = state.findingStatus !== finding.status;
    const mapping = mappingForLinked(state, finding, this.config);
    const issueId = state.issueId!;
    let fieldsApplied = true;
    let statusApplied = true;
    let assigneeRefused: FindingState['assigneeRefused'];

    if (changed.length > 0) {
      const createMeta = await this.metaFor(mapping);
      // Edits follow the edit screen, which may hold other fields than the create screen.
      const editFields = await this.meta.editFields(createMeta, issueId);
      if (editFields === undefined) return this.markDeleted(item, state);
      const meta: IssueTypeMeta = { ...createMeta, fields: editFields };
      const fields = buildIssueEditFields(changed, {
        finding,
        mapping,
        config: this.config,
        meta,
        assigneeAccountId: await this.assigneeFor(finding, mapping),
        now: this.now,
        platformName: item.source,
      });
      if (fields) {
        try {
          const edited = await this.editIssueOrDropAssignee(issueId, fields);
          if (edited === 'missing') return this.markDeleted(item, state);
          if (edited.refusal) {
            assigneeRefused = edited.refusal;
            this.count('assigneeDropped', item.findingKey);
            this.deps.logger.warn('issue edited without its assignee: Jira refused the account', {
              findingId: finding.id,
              issueKey: state.issueKey,
              accountId: edited.refusal.accountId,
            });
          }
          this.count('updated', item.findingKey);
        } catch (error) {
          if (!(error instanceof JiraApiError)) throw error;
          const jira = { status: error.status, fieldErrors: error.errors, errorMessages: error.errorMessages };
          this.deadLetter(item, state.lane, 'update', summariseJiraError(jira), jira, state.issueKey);
          fieldsApplied = false;
        }
      }
    }

    if (statusChanged) {
      const target = resolveStatusTarget(finding.status, mapping, this.config);
      if (target) {
        const meta = await this.metaFor(mapping);
        try {
          const moved = await moveIssueToStatus(
            { issueId, target, statuses: meta.statuses, comment: transitionComment(item.source, finding.status) },
            this.deps.jira,
          );
          if (moved.kind === 'issue-missing') return this.markDeleted(item, state);
          if (moved.kind === 'no-path') {
            this.deadLetter(item, state.lane, 'transition', moved.message, undefined, state.issueKey);
            statusApplied = false;
          } else if (moved.kind === 'moved') {
            this.count('transitioned', item.findingKey);
          }
        } catch (error) {
          if (!(error instanceof JiraApiError)) throw error;
          const jira = { status: error.status, fieldErrors: error.errors, errorMessages: error.errorMessages };
          this.deadLetter(
            item,
            state.lane,
            'transition',
            `The transition was refused: ${summariseJiraError(jira)}`,
            jira,
            state.issueKey,
          );
          statusApplied = false;
        }
      }
    }

    if (changed.length === 0 && !statusChanged) {
      this.count('unchanged', item.findingKey);
      if (state.contentHash === computeContentHash(finding) && state.configRevision === this.revision) return; // nothing to write
    }
    const parts: Record<string, string> = { ...(state.fingerprint?.parts ?? {}) };
    if (fieldsApplied)
      for (const [part, value] of Object.entries(fingerprint.parts))
        if (part !== 'status' && value !== undefined) parts[part] = value;
    if (statusApplied && fingerprint.parts.status !== undefined) parts['status'] = fingerprint.parts.status;
    const next: FindingState = {
      ...this.base(item, state),
      ...(assigneeRefused ? { assigneeRefused, reason: describeAssigneeRefusal(assigneeRefused) } : {}),
      fingerprint: fieldsApplied && statusApplied ? fingerprint : { value: state.fingerprint?.value ?? '', parts },
      findingStatus: statusApplied ? finding.status : state.findingStatus,
    };
    // A finding whose update failed stays "new" for the next re-post, which retries it.
    this.write(fieldsApplied && statusApplied ? this.done(item, next) : { ...next, contentHash: undefined }, state);
  }

  /**
   * Edits the issue; when Jira refuses only because of the assignee (keyed on the field id), the
   * edit is sent once more without it. `missing`: the issue no longer exists.
   */
  private async editIssueOrDropAssignee(
    issueId: string,
    fields: Record<string, unknown>,
  ): Promise<'missing' | { refusal?: AssigneeRefusal }> {
    try {
      return (await this.deps.jira.editIssue(issueId, fields)) ? {} : 'missing';
    } catch (error) {
      const request = { fields, properties: [] };
      const accountId = readAssigneeAccountId(request);
      if (!(error instanceof JiraApiError) || accountId === undefined || !isAssigneeRefusal(request, error.errors))
        throw error;
      const refusal: AssigneeRefusal = {
        accountId,
        error: error.errors[ASSIGNEE_FIELD_ID] ?? '',
        at: this.now.toISOString(),
      };
      const rest = removeAssignee(request).fields;
      if (Object.keys(rest).length === 0) return { refusal };
      return (await this.deps.jira.editIssue(issueId, rest)) ? { refusal } : 'missing';
    }
  }

  private markDeleted(item: InboxItem, state: FindingState): void {
    this.deps.logger.info('linked issue was deleted in Jira', { findingId: item.finding.id, issueKey: state.issueKey });
    if (this.config.onDeletedIssue === 'recreate') {
      this.write({
        ...this.base(item, state),
        outcome: undefined,
        issueId: undefined,
        issueKey: undefined,
        fingerprint: undefined,
        contentHash: undefined,
      });
    } else {
      this.write(this.done(item, { ...this.base(item, state), outcome: 'issue-deleted' }));
    }
    this.count('unchanged', item.findingKey);
  }
}

function toTransient(error: unknown): TransientError | undefined {
  if (error instanceof TransientError) return error;
  // @forge/kvs API errors carry the HTTP status: quota (429) and server errors are worth retrying.
  const status = (error as { responseDetails?: { status?: number } } | null)?.responseDetails?.status;
  if (status === 429) return new TransientError('KVS rate limit', 60_000, 'storage-rate-limited');
  if (status !== undefined && status >= 500)
    return new TransientError(`KVS answered ${status}`, 5_000, 'upstream-unavailable');
  return undefined;
}

async function retryOrRequeue(
  input: SyncChunkInput,
  deps: SyncChunkDeps,
  error: TransientError,
  counts: SyncCounts,
): Promise<SyncChunkResult> {
  const seconds = Math.min(900, Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  if (input.retryCount < MAX_INVOCATION_RETRIES)
    return { kind: 'retry', retryAfterSeconds: seconds, reason: error.reason, message: error.message, counts };
  if (input.requeues >= MAX_REQUEUES) {
    throw new Error(
      `Chunk ${input.chunkKey} still failing after ${MAX_REQUEUES} re-queues: ${error.message}. Its findings are synced again when the platform re-posts them.`,
    );
  }
  // Forge gives up after 4 retries: a new event keeps the work alive.
  await deps.queue.publish([{ chunkKey: input.chunkKey, lane: input.lane, requeues: input.requeues + 1 }], seconds);
  deps.logger.warn('chunk re-queued after repeated transient failures', {
    chunkKey: input.chunkKey,
    requeues: input.requeues + 1,
    reason: error.reason,
  });
  return { kind: 'requeued', delaySeconds: seconds, counts };
}

export async function syncFindingChunk(input: SyncChunkInput, deps: SyncChunkDeps): Promise<SyncChunkResult> {
  const chunk = await deps.inbox.load(input.chunkKey);
  if (!chunk) return { kind: 'done', counts: {} }; // finished by an earlier delivery

  const now = deps.now();
  const token = deps.newToken();
  const lease = await deps.leases.acquire(input.lane, token, LEASE_TTL_SECONDS, now);
  if (!lease.acquired) {
    const waitMs = lease.expiresAt ? lease.expiresAt.getTime() - now.getTime() : 30_000;
    const busy = new TransientError(
      `Another consumer is syncing lane ${input.lane}`,
      Math.min(60_000, Math.max(5_000, waitMs)),
      'lane-busy',
    );
    return retryOrRequeue(
      input,
      deps,
      input.retryCount >= MAX_INVOCATION_RETRIES
        ? new TransientError(busy.message, Math.max(5_000, waitMs + 1_000), 'lane-busy')
        : busy,
      {},
    );
  }

  let run: ChunkRun | undefined;
  try {
    const { config, revision } = await deps.config.load();
    run = new ChunkRun(deps, config, revision, now);
    try {
      await run.run(chunk.items);
    } catch (error) {
      const transient = toTransient(error);
      if (!transient) throw error;
      await run.flush();
      run.defer(transient);
    }
    const deferred = run.deferredError;
    await deps.stats.recordChunk(input.chunkKey, run.outcomes, now);
    if (deferred) return await retryOrRequeue(input, deps, deferred, run.counts);
    await deps.inbox.delete(input.chunkKey);
    return { kind: 'done', counts: run.counts };
  } finally {
    await deps.leases.release(input.lane);
  }
}
