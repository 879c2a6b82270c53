import { SyncConfigSchema } from '../../src/domain/config';
import {
  findStatusesForTarget,
  mapJiraStatusToFindingStatus,
  resolveStatusTarget,
} from '../../src/domain/status-mapping';
import { planTransitionPath, type WorkflowTransition } from '../../src/domain/transition-path';

describe('mapJiraStatusToFindingStatus', () => {
  const config = SyncConfigSchema.parse({
    jiraStatusMap: {
      rules: [
        { resolutionName: 'Duplicate', findingStatus: 'false_positive' },
        { statusName: 'Done', resolutionName: "Won't Do", findingStatus: 'risk_accepted' },
        { statusId: '10500', findingStatus: 'in_progress' },
      ],
    },
    mappings: [
      {
        id: 'web',
        match: { assetIds: ['a'] },
        projectKey: 'WEB',
        issueTypeName: 'Bug',
        jiraStatusMap: {
          byCategory: { indeterminate: null },
          rules: [{ statusName: "Won't Fix", findingStatus: 'risk_accepted' }],
        },
      },
    ],
  });
  const web = config.mappings[0];

  it.each([
    ['new category', { statusCategoryKey: 'new', statusName: 'To Do' }, undefined, 'open'],
    [
      'indeterminate category',
      { statusCategoryKey: 'indeterminate', statusName: 'In Review' },
      undefined,
      'in_progress',
    ],
    [
      'done category',
      { statusCategoryKey: 'done', statusName: 'Closed', resolutionName: 'Done' },
      undefined,
      'resolved',
    ],
    [
      'resolution rule in any status',
      { statusCategoryKey: 'done', statusName: 'Closed', resolutionName: 'duplicate' },
      undefined,
      'false_positive',
    ],
    [
      'status + resolution beats resolution-only',
      { statusCategoryKey: 'done', statusName: 'done', resolutionName: "Won't Do" },
      undefined,
      'risk_accepted',
    ],
    [
      'status id rule',
      { statusCategoryKey: 'new', statusId: '10500', statusName: 'Backlog' },
      undefined,
      'in_progress',
    ],
    [
      'status rule without its resolution does not match',
      { statusCategoryKey: 'done', statusName: 'Done', resolutionName: null },
      undefined,
      'resolved',
    ],
    ['mapping rule first', { statusCategoryKey: 'done', statusName: "Won't Fix" }, web, 'risk_accepted'],
    [
      'mapping category set to null is unmapped',
      { statusCategoryKey: 'indeterminate', statusName: 'In Progress' },
      web,
      'unmapped',
    ],
    [
      'global rules still apply under a mapping',
      { statusCategoryKey: 'done', statusName: 'Closed', resolutionName: 'Duplicate' },
      web,
      'false_positive',
    ],
    ['unknown category', { statusCategoryKey: 'undefined', statusName: 'Weird' }, undefined, 'unmapped'],
  ] as const)('%s → %s', (_label, snapshot, mapping, expected) => {
    expect(mapJiraStatusToFindingStatus(snapshot, mapping, config)).toBe(expected);
  });
});

describe('resolveStatusTarget', () => {
  const config = SyncConfigSchema.parse({
    mappings: [
      {
        id: 'web',
        match: { assetIds: ['a'] },
        projectKey: 'WEB',
        issueTypeName: 'Bug',
        statusMap: { resolved: { statusName: 'Fixed' }, reopened: null },
      },
    ],
  });
  const web = config.mappings[0];

  it.each([
    ['resolved, global', 'resolved', undefined, { statusCategory: 'done', resolutionName: 'Done' }],
    ['false positive, global', 'false_positive', undefined, { statusCategory: 'done', resolutionName: "Won't Do" }],
    ['reopened, global', 'reopened', undefined, { statusCategory: 'new' }],
    ['open: no transition', 'open', undefined, null],
    ['mapping override', 'resolved', web, { statusName: 'Fixed' }],
    ['mapping null overrides the global target', 'reopened', web, null],
    ['mapping falls back to global', 'risk_accepted', web, { statusCategory: 'done', resolutionName: "Won't Do" }],
  ] as const)('%s', (_label, status, mapping, expected) => {
    expect(resolveStatusTarget(status, mapping, config)).toEqual(expected);
  });
});

describe('findStatusesForTarget', () => {
  const statuses = [
    { id: '1', name: 'To Do', statusCategoryKey: 'new' },
    { id: '3', name: 'In Progress', statusCategoryKey: 'indeterminate' },
    { id: '5', name: 'Fixed', statusCategoryKey: 'done' },
    { id: '6', name: 'Closed', statusCategoryKey: 'done' },
  ];
  it.each([
    ['by category', { statusCategory: 'done' as const }, ['5', '6']],
    ['by name', { statusName: 'closed' }, ['6']],
    ['by id', { statusId: '3' }, ['3']],
    ['missing name', { statusName: 'Verified' }, []],
  ])('%s', (_label, target, expected) => {
    expect(findStatusesForTarget(target, statuses)).toEqual(expected);
  });
});

describe('planTransitionPath', () => {
  // To Do(1) → In Progress(3) → In Review(4) → Done(5); Reopen: Done → To Do; global "Close" → Closed(6)
  const workflow: WorkflowTransition[] = [
    { id: '11', from: ['1'], to: '3' },
    { id: '21', from: ['3'], to: '4' },
    { id: '31', from: ['4'], to: '5' },
    { id: '41', from: ['5'], to: '1' },
    { id: '22', from: ['4'], to: '3' },
  ];

  it.each([
    ['already there', '1', '1', []],
    ['one step', '1', '3', ['11']],
    ['several steps', '1', '5', ['11', '21', '31']],
    ['back through a loop', '4', '1', ['31', '41']],
    ['unreachable', '5', '9', null],
    ['nearest of several targets', '1', ['5', '4'], ['11', '21']],
    ['no targets', '1', [], null],
  ] as const)('%s', (_label, from, to, expected) => {
    expect(planTransitionPath(from, to, workflow)).toEqual(expected);
  });

  it('uses global transitions from any status', () => {
    const withGlobal = [...workflow, { id: '99', to: '6' }];
    expect(planTransitionPath('4', '6', withGlobal)).toEqual(['99']);
    expect(planTransitionPath('6', '3', withGlobal)).toBeNull();
  });

  it('accepts transitions discovered per status', () => {
    const discovered = {
      '1': [{ id: '11', to: '3' }],
      '3': [
        { id: '21', to: '4' },
        { id: '61', to: '5' },
      ],
    };
    expect(planTransitionPath('1', '5', discovered)).toEqual(['11', '61']);
  });

  it('prefers the transition listed first on ties', () => {
    const tie = [
      { id: 'a', from: ['1'], to: '2' },
      { id: 'b', from: ['1'], to: '3' },
      { id: 'c', from: ['2'], to: '9' },
      { id: 'd', from: ['3'], to: '9' },
    ];
    expect(planTransitionPath('1', '9', tie)).toEqual(['a', 'c']);
  });

  it('handles a large workflow quickly', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => ({ id: `t${i}`, from: [`s${i}`], to: `s${i + 1}` }));
    const path = planTransitionPath('s0', 's2000', chain);
    expect(path).toHaveLength(2000);
    expect(path?.[1999]).toBe('t1999');
  });
});
