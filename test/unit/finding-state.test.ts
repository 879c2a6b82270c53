import {
  computeContentHash,
  judgeRepost,
  needsScopeIndex,
  parseFindingState,
  type FindingState,
  type LinkedState,
} from '../../src/domain/finding-state';
import {
  linkIssue,
  markDead,
  markIssueDeleted,
  markPending,
  recordUpdate,
  recoverLink,
} from '../../src/domain/finding-state-transitions';
import { buildFinding } from '../builders/finding';

const finding = buildFinding({ id: 'f-1', updatedAt: '2024-05-02T00:00:00.000Z' });
const subject = { findingKey: 'fk-1', source: 'conviso', finding };
const hash = computeContentHash(finding);
const now = new Date('2024-06-01T00:00:00Z');
const moment = { now, configRevision: 4 };
const issue = { issueId: '10001', issueKey: 'SEC-1', projectKey: 'SEC', issueTypeId: '10004' };
const fingerprint = { value: 'v1:abc', parts: { summary: 'a', status: 'b' } };

function parse(raw: unknown): FindingState {
  const parsed = parseFindingState(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.state;
}

describe('stored finding states of the shape before the union (upgraded on read)', () => {
  const old = {
    findingKey: 'fk-1',
    findingId: 'f-1',
    source: 'conviso',
    lane: 'web',
    syncedAt: '2024-05-01T00:00:00Z',
  };

  it('a linked record with its content hash at the top: linked, settled', () => {
    const record = {
      ...old,
      outcome: 'linked',
      issueId: '10001',
      issueKey: 'SEC-1',
      projectKey: 'SEC',
      fingerprint,
      findingStatus: 'open',
      contentHash: hash,
      configRevision: 3,
      updatedAt: '2024-05-02T00:00:00.000Z',
    };
    expect(parse(record)).toEqual({
      ...old,
      outcome: 'linked',
      issueId: '10001',
      issueKey: 'SEC-1',
      projectKey: 'SEC',
      fingerprint,
      findingStatus: 'open',
      updatedAt: '2024-05-02T00:00:00.000Z',
      settled: { contentHash: hash, configRevision: 3 },
    });
    expect(judgeRepost(finding, hash, parse(record), 9)).toBe('duplicate');
  });

  it('a linked record without a content hash (an update failed): linked, not settled, a re-post retries', () => {
    const state = parse({ ...old, outcome: 'linked', issueId: '10001', issueKey: 'SEC-1', configRevision: 3 });
    expect(state).toMatchObject({ outcome: 'linked', issueKey: 'SEC-1' });
    expect(state.settled).toBeUndefined();
    expect(judgeRepost(finding, hash, state, 3)).toBe('new');
  });

  it('a pending mark that kept the earlier outcome: pending, with the refusal, nothing else', () => {
    const refusal = { accountId: 'acc-1', error: 'inactive', at: '2024-05-01T00:00:00Z' };
    const record = {
      ...old,
      outcome: 'dead',
      reason: 'Jira refused',
      pendingCreateSince: '2024-05-01T00:00:01Z',
      assigneeRefused: refusal,
      contentHash: 'older',
    };
    expect(parse(record)).toEqual({
      ...old,
      outcome: 'pending',
      pendingCreateSince: '2024-05-01T00:00:01Z',
      assigneeRefused: refusal,
    });
  });

  it('no outcome and no mark (cleared for re-creation): an unsettled deletion, so the next re-post creates', () => {
    const state = parse({ ...old, reason: 'was linked' });
    expect(state).toEqual({ ...old, outcome: 'issue-deleted', reason: 'was linked' });
    expect(judgeRepost(finding, hash, state, 3)).toBe('new');
  });

  it('skipped and unrouted keep the revision they were judged under', () => {
    const state = parse({ ...old, outcome: 'skipped', reason: 'low', contentHash: hash, configRevision: 3 });
    expect(state).toEqual({
      ...old,
      outcome: 'skipped',
      reason: 'low',
      settled: { contentHash: hash, configRevision: 3 },
    });
    expect(judgeRepost(finding, hash, state, 3)).toBe('duplicate');
    expect(judgeRepost(finding, hash, state, 4)).toBe('new');
  });

  it('a record in the current shape reads back as it was written', () => {
    const state = linkIssue(subject, undefined, { lane: 'web', issue, fingerprint, findingStatus: 'open' }, moment);
    expect(parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it.each([
    ['no finding key', { ...old, findingKey: undefined }, 'findingKey'],
    ['an unknown outcome', { ...old, outcome: 'gone' }, 'outcome'],
    ['a malformed refusal', { ...old, assigneeRefused: { accountId: 1 } }, 'assigneeRefused'],
  ])('refuses %s, naming the field', (_label, raw, field) => {
    const parsed = parseFindingState(raw);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(field);
  });
});

describe('finding state transitions', () => {
  it('every state records the scope its item names (kept from the last one when the item names none)', () => {
    const scoped = { ...subject, scope: 'sc-1' };
    const linked = linkIssue(scoped, undefined, { lane: 'web', issue, fingerprint, findingStatus: 'open' }, moment);
    expect(linked.scope).toBe('sc-1');
    expect(recordUpdate(subject, linked, { fingerprint, findingStatus: 'open', settled: true }, moment).scope).toBe(
      'sc-1',
    );
    expect(markPending({ ...subject, scope: 'sc-2' }, linked, 'web', now).scope).toBe('sc-2');
    expect(parse(JSON.parse(JSON.stringify(linked))).scope).toBe('sc-1');
    expect(
      linkIssue(subject, undefined, { lane: 'web', issue, fingerprint, findingStatus: 'open' }, moment),
    ).not.toHaveProperty('scope');
  });

  it.each([
    ['no scope recorded (an older version synced it)', undefined, true, true],
    ['another scope recorded', 'sc-0', true, true],
    ['this scope recorded', 'sc-1', true, false],
    ['closed: not listed in any index', undefined, false, false],
  ])('needsScopeIndex: %s', (_case, recorded, open, expected) => {
    const linked = linkIssue(
      recorded ? { ...subject, scope: recorded } : subject,
      undefined,
      { lane: 'web', issue, fingerprint, findingStatus: 'open' },
      moment,
    );
    expect(needsScopeIndex(linked, 'sc-1', open)).toBe(expected);
    expect(needsScopeIndex(undefined, 'sc-1', open)).toBe(false);
    expect(needsScopeIndex(markIssueDeleted(subject, linked, 'ignore', moment), 'sc-1', open)).toBe(false);
  });

  it('markPending keeps only identity, lane and the newest version seen', () => {
    const linked = linkIssue(subject, undefined, { lane: 'web', issue, fingerprint, findingStatus: 'open' }, moment);
    const deleted = markIssueDeleted(subject, linked, 'recreate', moment);
    expect(markPending(subject, deleted, 'web', now)).toEqual({
      findingKey: 'fk-1',
      findingId: 'f-1',
      source: 'conviso',
      lane: 'web',
      updatedAt: finding.updatedAt,
      syncedAt: now.toISOString(),
      outcome: 'pending',
      pendingCreateSince: now.toISOString(),
    });
  });

  it('markPending keeps an earlier mark’s assignee refusal unless given a new one', () => {
    const refusal = { accountId: 'acc-1', error: 'inactive', at: 'then' };
    const first = markPending(subject, undefined, 'web', now, refusal);
    expect(markPending(subject, first, 'web', now).assigneeRefused).toEqual(refusal);
    expect(markPending(subject, markDead(subject, first, 'web', 'x', now), 'web', now).assigneeRefused).toBeUndefined();
  });

  it('linkIssue settles this version and names a refused assignee', () => {
    const refusal = { accountId: 'acc-1', error: 'inactive', at: 'then' };
    const pending = markPending(subject, undefined, 'web', now, refusal);
    const linked = linkIssue(
      subject,
      pending,
      { lane: 'web', issue, fingerprint, findingStatus: 'open', assigneeRefused: refusal },
      moment,
    );
    expect(linked).toMatchObject({
      outcome: 'linked',
      ...issue,
      settled: { contentHash: hash, configRevision: 4 },
      reason: expect.stringContaining('acc-1'),
    });
    expect('pendingCreateSince' in linked).toBe(false);
  });

  it('recoverLink links without settling (the update path brings Jira to this version)', () => {
    const pending = markPending(subject, undefined, 'web', now);
    const linked = recoverLink(subject, pending, 'web', issue, now);
    expect(linked).toMatchObject({ outcome: 'linked', issueKey: 'SEC-1' });
    expect(linked.settled).toBeUndefined();
    expect(linked.fingerprint).toBeUndefined();
  });

  it('recordUpdate settles only when everything was applied', () => {
    const linked: LinkedState = linkIssue(
      subject,
      undefined,
      { lane: 'web', issue, fingerprint, findingStatus: 'open' },
      { now, configRevision: 1 },
    );
    const changed = { ...subject, finding: { ...finding, title: 'changed' } };
    const update = { fingerprint, findingStatus: 'open' as const };
    expect(recordUpdate(changed, linked, { ...update, settled: true }, moment).settled).toEqual({
      contentHash: computeContentHash(changed.finding),
      configRevision: 4,
    });
    const behind = recordUpdate(changed, linked, { ...update, settled: false }, moment);
    expect(behind.settled).toBeUndefined();
    expect(judgeRepost(changed.finding, computeContentHash(changed.finding), behind, 4)).toBe('new');
  });

  it.each([
    ['ignore', 'duplicate'],
    ['recreate', 'new'],
  ] as const)('markIssueDeleted under %s: an identical re-post is %s', (policy, verdict) => {
    const linked = linkIssue(subject, undefined, { lane: 'web', issue, fingerprint, findingStatus: 'open' }, moment);
    const deleted = markIssueDeleted(subject, linked, policy, moment);
    expect(deleted).toMatchObject({ outcome: 'issue-deleted', issueKey: 'SEC-1' });
    expect(judgeRepost(finding, hash, deleted, 4)).toBe(verdict);
  });
});
