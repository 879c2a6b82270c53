import type { TargetMapping } from '../../domain/config';
import type { AssigneeRefusal, FindingState, LinkedState } from '../../domain/finding-state';
import { linkIssue, markDead, markPending } from '../../domain/finding-state-transitions';
import {
  ASSIGNEE_FIELD_ID,
  buildIssueCreateRequest,
  isAssigneeRefusal,
  readAssigneeAccountId,
  removeAssignee,
  type IssueTypeMeta,
} from '../../domain/issue-fields';
import { untilEmptySearchTrusted } from '../../domain/search-index-lag';
import type { CreateGroup } from '../../domain/sync-triage';
import { JiraApiError, TransientError } from '../errors';
import type { BulkCreateResult, InboxItem, IssueLinkRecord } from '../ports';
import { refusalOf, summariseJiraError, type ChunkRun } from './chunk-run';
import { findPendingIssues, linkRecovered } from './recover-pending';

/**
 * The create path for one routing target: recover what a crashed attempt created, mark the rest
 * pending, bulk-create them (≤ 50, one request), link what Jira created, dead-letter what it
 * refused. An owner's account that Jira refuses as assignee (unknown or deactivated) costs one more
 * bulk create of just those elements, without the assignee: the issue matters more than its
 * assignee.
 */

/** The shortest wait after an element Jira failed with 429/5xx (its own back-off, when the lag rule asks less). */
const ELEMENT_RETRY_MIN_MS = 10_000;

type CreateElement = {
  item: InboxItem;
  state: FindingState | undefined;
  request: ReturnType<typeof buildIssueCreateRequest>;
};
type Refused = { element: CreateElement; refusal: AssigneeRefusal };

/** Returns the recovered findings, which go on to the update path. */
export async function createIssues(
  run: ChunkRun,
  group: CreateGroup<InboxItem>,
): Promise<Array<{ item: InboxItem; state: LinkedState }>> {
  const { mapping, entries } = group;
  const { found, unsure } = await findPendingIssues(run, entries);

  let meta: IssueTypeMeta;
  try {
    meta = await run.metaFor(mapping);
  } catch (error) {
    if (!(error instanceof JiraApiError)) throw error;
    for (const { item, state } of entries) {
      // stays pending: the next attempt links it (or, when not yet searchable, searches again)
      if (found.has(item.findingKey) || unsure.has(item.findingKey)) continue;
      const reason = `Project ${mapping.projectKey} or its issue type cannot be used: ${error.message}`;
      run.deadLetter(item, mapping.id, 'create', reason, refusalOf(error));
      run.write(markDead(item, state, mapping.id, 'project-unavailable', run.now));
    }
    return [];
  }

  const links: IssueLinkRecord[] = [];
  const recovered = linkRecovered(run, entries, found, mapping.id, meta, links);
  const toCreate: CreateElement[] = [];
  for (const { item, state } of entries) {
    if (found.has(item.findingKey) && state?.outcome === 'pending') continue;
    if (unsure.has(item.findingKey)) continue; // may exist, not yet searchable: the retry searches again
    const request = buildIssueCreateRequest({
      finding: item.finding,
      findingKey: item.findingKey,
      source: item.source,
      mapping,
      config: run.config,
      meta,
      assigneeAccountId: await run.assigneeFor(item.finding, mapping),
      now: run.now,
      platformName: item.source,
    });
    toCreate.push({ item, state, request });
  }
  await run.saveLinks(links.splice(0));
  if (toCreate.length === 0) return recovered;

  // Mark before creating: a later attempt that sees the mark searches Jira first.
  // (Kept small — no fingerprint — so 25 marks fit one 10 KB KVS unit.)
  await run.deps.states.putMany(toCreate.map(({ item, state }) => markPending(item, state, mapping.id, run.now)));
  const result = await run.deps.jira.bulkCreateIssues(toCreate.map((c) => c.request.request));
  const refused = recordCreated(run, toCreate, result, mapping, meta, links, undefined);
  if (refused.length === 0) {
    await run.saveLinks(links);
    return recovered;
  }
  // The refused elements stay marked pending, so a crash from here on is recovered by the search
  // like any other create; the refusal goes into the mark, so a recovery still knows why.
  await run.saveLinks(links.splice(0));
  await run.deps.states.putMany(
    refused.map(({ element, refusal }) => markPending(element.item, element.state, mapping.id, run.now, refusal)),
  );
  const retry = refused.map((r) => ({
    ...r.element,
    request: { ...r.element.request, request: removeAssignee(r.element.request.request) },
  }));
  const refusals = new Map(refused.map((r) => [r.element.item.findingKey, r.refusal]));
  const retried = await run.deps.jira.bulkCreateIssues(retry.map((c) => c.request.request));
  recordCreated(run, retry, retried, mapping, meta, links, refusals);
  await run.saveLinks(links);
  return recovered;
}

/**
 * Records one bulk create's answer: links for created issues, a retry for transient failures,
 * dead letters for the rest. Elements refused only for their assignee are returned for one more
 * try when `refusals` is undefined (the first try); on the second try `refusals` holds why.
 */
function recordCreated(
  run: ChunkRun,
  elements: ReadonlyArray<CreateElement>,
  result: BulkCreateResult,
  mapping: TargetMapping,
  meta: IssueTypeMeta,
  links: IssueLinkRecord[],
  refusals: Map<string, AssigneeRefusal> | undefined,
): Refused[] {
  const refused: Refused[] = [];
  for (const created of result.created) {
    const { item, state, request } = elements[created.index]!;
    const refusal = refusals?.get(item.findingKey);
    const linked = linkIssue(
      item,
      state,
      {
        lane: mapping.id,
        issue: {
          issueId: created.issueId,
          issueKey: created.issueKey,
          projectKey: meta.projectKey,
          issueTypeId: meta.issueTypeId,
        },
        fingerprint: request.fingerprint,
        findingStatus: item.finding.status,
        ...(refusal ? { assigneeRefused: refusal } : {}),
      },
      run.moment,
    );
    links.push(run.linkRecord(item, linked));
    run.write(linked, state);
    run.count('created', item.findingKey);
    if (refusal) {
      run.count('assigneeDropped', item.findingKey);
      run.assigneeDropped.push(item.finding.id);
    }
  }
  for (const failure of result.failed) {
    const element = elements[failure.index]!;
    const { item, state } = element;
    if (failure.status === 429 || failure.status >= 500) {
      // Jira may have created it anyway. It stays pending, and the retry searches before creating again — once an
      // empty search proves something: the mark (written at run.now, before this request) plus the index lag.
      const message = `Jira could not create the issue for ${item.finding.id} (${failure.status})`;
      const waitMs = Math.max(ELEMENT_RETRY_MIN_MS, untilEmptySearchTrusted(run.now.toISOString(), run.now) + 1_000);
      run.defer(new TransientError(message, waitMs, 'search-index-lag'));
      continue;
    }
    const accountId = readAssigneeAccountId(element.request.request);
    if (
      refusals === undefined &&
      accountId !== undefined &&
      isAssigneeRefusal(element.request.request, failure.fieldErrors)
    ) {
      const error = failure.fieldErrors[ASSIGNEE_FIELD_ID] ?? '';
      refused.push({ element, refusal: { accountId, error, at: run.now.toISOString() } });
      continue; // stays pending until the second try's answer
    }
    // A second try that fails too reports the assignee refusal alongside the new errors.
    const earlier = refusals?.get(item.findingKey);
    const jira = earlier
      ? { ...failure, fieldErrors: { [ASSIGNEE_FIELD_ID]: earlier.error, ...failure.fieldErrors } }
      : failure;
    run.deadLetter(item, mapping.id, 'create', summariseJiraError(jira), jira);
    run.write(markDead(item, state, mapping.id, summariseJiraError(jira), run.now));
  }
  return refused;
}
