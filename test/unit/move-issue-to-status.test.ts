import type { StatusTarget } from '../../src/domain/config';
import { moveIssueToStatus } from '../../src/usecases/move-issue-to-status';
import type { AvailableTransition, JiraGateway } from '../../src/usecases/ports';

/** An in-memory workflow standing in for Jira's transitions endpoints (the use case's port). */
function workflow(
  start: string,
  transitions: Array<{ id: string; from: string[]; to: string; resolution?: 'required' | 'optional' }>,
  categories: Record<string, string>,
) {
  const issue = {
    status: start,
    taken: [] as Array<{ id: string; fields?: Record<string, unknown>; comment?: unknown }>,
  };
  const gateway: Pick<JiraGateway, 'getIssueStatus' | 'getTransitions' | 'transitionIssue'> = {
    async getIssueStatus() {
      return { issueId: '1', issueKey: 'X-1', statusId: issue.status, statusCategoryKey: categories[issue.status]! };
    },
    async getTransitions(): Promise<AvailableTransition[]> {
      return transitions
        .filter((t) => t.from.includes(issue.status))
        .map((t): AvailableTransition => ({
          id: t.id,
          name: t.id,
          toStatusId: t.to,
          toStatusCategoryKey: categories[t.to]!,
          fields: t.resolution
            ? {
                resolution: {
                  required: t.resolution === 'required',
                  allowedValues: [
                    { id: '1', name: 'Done' },
                    { id: '2', name: "Won't Do" },
                  ],
                },
              }
            : {},
        }));
    },
    async transitionIssue(_id, body) {
      const t = transitions.find((x) => x.id === body.transitionId && x.from.includes(issue.status));
      if (!t) throw new Error(`transition ${body.transitionId} not available from ${issue.status}`);
      issue.status = t.to;
      issue.taken.push({
        id: body.transitionId,
        ...(body.fields && Object.keys(body.fields).length ? { fields: body.fields } : {}),
        ...(body.comment ? { comment: body.comment } : {}),
      });
    },
  };
  const statuses = Object.entries(categories).map(([id, key]) => ({ id, name: `S${id}`, statusCategoryKey: key }));
  return { issue, gateway, statuses };
}

const SEC = {
  transitions: [
    { id: '11', from: ['3'], to: '10000' },
    { id: '21', from: ['10000'], to: '3' },
    { id: '31', from: ['3'], to: '10002' },
    { id: '41', from: ['10002'], to: '3' },
    { id: '51', from: ['10002'], to: '10001' },
    { id: '61', from: ['10001'], to: '4' },
    { id: '71', from: ['4'], to: '3' },
  ],
  categories: { '10000': 'new', '3': 'indeterminate', '10002': 'indeterminate', '10001': 'done', '4': 'new' },
};

describe('moveIssueToStatus', () => {
  it.each<[string, string, StatusTarget, string[]]>([
    [
      'to done in three steps, exploring as it goes',
      '10000',
      { statusCategory: 'done', resolutionName: 'Done' },
      ['21', '31', '51'],
    ],
    ['back to a to-do status', '10001', { statusCategory: 'new' }, ['61']],
    ['by status name from review', '10002', { statusName: 'S10000' }, ['41', '11']],
  ])('%s', async (_label, start, target, expected) => {
    const { issue, gateway, statuses } = workflow(start, SEC.transitions, SEC.categories);
    const result = await moveIssueToStatus({ issueId: '1', target, statuses, comment: 'why' }, gateway);
    expect(result).toMatchObject({ kind: 'moved', transitionIds: expected });
    expect(issue.taken.map((t) => t.id)).toEqual(expected);
    expect(issue.taken.filter((t) => t.comment).map((t) => t.id)).toEqual([expected[expected.length - 1]]);
  });

  it('fills a required resolution with the configured one, else the first offered', async () => {
    const ops = workflow('1', [{ id: '41', from: ['1'], to: '9', resolution: 'required' }], {
      '1': 'new',
      '9': 'done',
    });
    await moveIssueToStatus(
      {
        issueId: '1',
        target: { statusCategory: 'done', resolutionName: "won't do" },
        statuses: ops.statuses,
        comment: 'c',
      },
      ops.gateway,
    );
    expect(ops.issue.taken[0]!.fields).toEqual({ resolution: { name: "Won't Do" } });
    const other = workflow('1', [{ id: '41', from: ['1'], to: '9', resolution: 'required' }], {
      '1': 'new',
      '9': 'done',
    });
    await moveIssueToStatus(
      {
        issueId: '1',
        target: { statusCategory: 'done', resolutionName: 'Fixed' },
        statuses: other.statuses,
        comment: 'c',
      },
      other.gateway,
    );
    expect(other.issue.taken[0]!.fields).toEqual({ resolution: { id: '1' } });
  });

  it.each<[string, StatusTarget, RegExp]>([
    ['an unknown status', { statusName: 'Archived' }, /no status matching Archived/],
    ['an unreachable one', { statusName: 'S99' }, /No path through the workflow/],
  ])('reports no path for %s', async (_label, target, message) => {
    const { gateway, statuses } = workflow('10000', SEC.transitions, { ...SEC.categories, '99': 'done' });
    const result = await moveIssueToStatus({ issueId: '1', target, statuses, comment: 'c' }, gateway);
    expect(result).toMatchObject({ kind: 'no-path', message: expect.stringMatching(message) });
  });

  it('does nothing when the issue is already there', async () => {
    const { issue, gateway, statuses } = workflow('10001', SEC.transitions, SEC.categories);
    expect(
      await moveIssueToStatus({ issueId: '1', target: { statusCategory: 'done' }, statuses, comment: 'c' }, gateway),
    ).toEqual({ kind: 'already-there', statusId: expect.any(String) });
    expect(issue.taken).toEqual([]);
  });
});
