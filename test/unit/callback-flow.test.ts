import {
  buildStatusChangedCallback,
  computeCallbackId,
  PlatformCallbackSchema,
} from '../../src/domain/callback-events';
import { classifyPlatformStatus, computeBackoffMs, planCallbackRetry } from '../../src/domain/callback-retry';
import { compareChangelogIds, judgeIssueEvent } from '../../src/domain/event-ordering';
import { IssueEventSchema, readStatusChange } from '../../src/domain/issue-event';

describe('judgeIssueEvent', () => {
  it.each([
    ['no state yet', { changelogId: '5' }, undefined, 'apply'],
    ['newer changelog', { changelogId: '10010' }, { lastChangelogId: '10009' }, 'apply'],
    ['same changelog', { changelogId: '10009' }, { lastChangelogId: '10009' }, 'duplicate'],
    ['older changelog', { changelogId: '9999' }, { lastChangelogId: '10009' }, 'stale'],
    [
      'ids longer than a double',
      { changelogId: '900719925474099312' },
      { lastChangelogId: '900719925474099311' },
      'apply',
    ],
    [
      'older updated, no changelog',
      { updated: '2024-05-01T10:00:00.000+0000' },
      { lastUpdated: '2024-05-01T10:00:01.000+0000' },
      'stale',
    ],
    [
      'same updated, no changelog',
      { updated: '2024-05-01T10:00:00.000+0000' },
      { lastUpdated: '2024-05-01T10:00:00.000+0000' },
      'duplicate',
    ],
    [
      'newer updated',
      { updated: '2024-05-01T10:00:02.000+0000' },
      { lastUpdated: '2024-05-01T10:00:01.000+0000' },
      'apply',
    ],
  ] as const)('%s → %s', (_name, position, state, verdict) => {
    expect(judgeIssueEvent(position, state)).toBe(verdict);
  });

  it('compares non-numeric ids only for equality', () => {
    expect(compareChangelogIds('abc', 'abc')).toBe(0);
    expect(compareChangelogIds('abc', 'abd')).toBeUndefined();
  });
});

describe('callback retry planning', () => {
  it.each([
    [1, 0, 15_000],
    [1, 1, 30_000],
    [3, 1, 120_000],
    [10, 1, 1_800_000],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(computeBackoffMs(attempt, random)).toBe(expected);
  });

  it('never retries sooner than Retry-After, and gives up after the deadline', () => {
    const base = { attempts: 1, createdAtMs: 0, waitedMs: 0, nowMs: 1_000, deadlineSeconds: 86_400, random: 0 };
    expect(planCallbackRetry({ ...base, retryAfterMs: 600_000 })).toEqual({ kind: 'retry', delayMs: 600_000 });
    expect(planCallbackRetry({ ...base, nowMs: 86_400_000 })).toMatchObject({ kind: 'dead' });
    // Waits already served count even when the wall clock has not moved (the sandbox's queue clock).
    expect(planCallbackRetry({ ...base, waitedMs: 86_400_000 })).toMatchObject({ kind: 'dead' });
    // The last wait ends at the deadline, not after it.
    expect(planCallbackRetry({ ...base, attempts: 20, waitedMs: 86_000_000 })).toEqual({
      kind: 'retry',
      delayMs: 400_000,
    });
  });

  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [204, 'delivered'],
    [408, 'retry'],
    [425, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'rejected'],
    [401, 'rejected'],
    [404, 'rejected'],
    [422, 'rejected'],
  ] as const)('HTTP %i is %s', (status, verdict) => {
    expect(classifyPlatformStatus(status)).toBe(verdict);
  });
});

describe('issue events and callbacks', () => {
  const event = {
    eventType: 'avi:jira:updated:issue',
    issue: {
      id: '10001',
      key: 'SEC-1',
      fields: {
        updated: '2024-05-01T10:00:00.000+0000',
        status: { id: '10002', name: 'Done', statusCategory: { key: 'done' } },
      },
    },
    changelog: {
      id: 10050,
      items: [
        { field: 'status', fieldId: 'status', from: '3', fromString: 'In Review', to: '10002', toString: 'Done' },
        { field: 'resolution', fieldId: 'resolution', from: null, to: '10000', toString: 'Done' },
      ],
    },
  };

  it('reads the status, the resolution and the changelog id (numbers become strings)', () => {
    const parsed = IssueEventSchema.parse(event);
    expect(parsed.eventType === 'avi:jira:updated:issue' && parsed.changelog?.id).toBe('10050');
    expect(parsed.eventType === 'avi:jira:updated:issue' && readStatusChange(parsed)).toEqual({
      statusChanged: true,
      status: { id: '10002', name: 'Done', categoryKey: 'done' },
      resolutionName: 'Done',
    });
  });

  it('does not take the inherited toString for a changelog value', () => {
    const parsed = IssueEventSchema.parse({
      ...event,
      changelog: { id: '1', items: [{ field: 'labels', from: null, to: null }] },
    });
    expect(parsed.eventType === 'avi:jira:updated:issue' && readStatusChange(parsed).statusChanged).toBe(false);
  });

  it('gives a callback an id that depends only on its cause', () => {
    const input = {
      finding: { id: 'F-1', source: 'conviso' },
      issue: { id: '10001', key: 'SEC-1' },
      occurredAt: '2024-05-01T10:00:00.000Z',
      changelogId: '10050',
      jira: { statusId: '10002', statusName: 'Done', statusCategory: 'done', resolution: 'Done' },
      findingStatus: 'resolved' as const,
    };
    const a = buildStatusChangedCallback(input);
    expect(buildStatusChangedCallback({ ...input, occurredAt: '2024-05-01T10:05:00.000Z' }).id).toBe(a.id);
    expect(buildStatusChangedCallback({ ...input, changelogId: '10051' }).id).not.toBe(a.id);
    expect(a.id).toBe(computeCallbackId('finding.status_changed', ['10001', '10050']));
    expect(PlatformCallbackSchema.safeParse(JSON.parse(JSON.stringify(a))).success).toBe(true);
  });
});
