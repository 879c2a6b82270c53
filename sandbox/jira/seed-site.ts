import type { JiraFieldRecord, JiraProjectRecord, JiraState, JiraStatusRecord, JiraUserRecord } from './types';

/**
 * The seeded site. Ids, status categories and field schemas follow real Jira Cloud; the data is
 * made up. Three projects with three different workflows:
 * - SEC (software): To Do → In Progress → In Review → Done, Done → Reopened → In Progress.
 * - OPS (business): Open → Triage → In Progress → Resolved, plus a "Won't Fix" done status whose
 *   transition screen requires `resolution`; its own priority scheme without "Lowest".
 * - COMP (business): required custom fields on the create screen; a custom priority scheme.
 */

export const SEEDED_USERS = {
  admin: '712020:0b7c2a51-3f7e-4c9a-9d1e-5a1f00000001',
  member: '712020:0b7c2a51-3f7e-4c9a-9d1e-5a1f00000002',
  developer: '712020:0b7c2a51-3f7e-4c9a-9d1e-5a1f00000003',
  app: '557058:f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
} as const;

export const STATUS_CATEGORIES = [
  { id: 1, key: 'undefined', name: 'No Category', colorName: 'medium-gray' },
  { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  { id: 3, key: 'done', name: 'Done', colorName: 'green' },
] as const;

const users: JiraUserRecord[] = [
  {
    accountId: SEEDED_USERS.admin,
    accountType: 'atlassian',
    displayName: 'Alex Admin',
    emailAddress: 'alex.admin@example.com',
    active: true,
    timeZone: 'Europe/Lisbon',
    administer: true,
  },
  {
    accountId: SEEDED_USERS.member,
    accountType: 'atlassian',
    displayName: 'Morgan Member',
    emailAddress: 'morgan.member@example.com',
    active: true,
    timeZone: 'America/Sao_Paulo',
    administer: false,
  },
  {
    accountId: SEEDED_USERS.developer,
    accountType: 'atlassian',
    displayName: 'Dana Developer',
    emailAddress: 'dana.developer@example.com',
    active: true,
    timeZone: 'UTC',
    administer: false,
  },
  // The app's own account (what `asApp()` acts as). Apps are in atlassian-addons-admin, which administers Jira.
  {
    accountId: SEEDED_USERS.app,
    accountType: 'app',
    displayName: 'Finding Sync for Jira',
    active: true,
    timeZone: 'UTC',
    administer: true,
  },
];

const statuses: JiraStatusRecord[] = [
  { id: '10000', name: 'To Do', description: 'Work that has not started.', categoryId: 2 },
  { id: '3', name: 'In Progress', description: 'This issue is being actively worked on.', categoryId: 4 },
  { id: '10002', name: 'In Review', description: 'Waiting for review.', categoryId: 4 },
  { id: '10001', name: 'Done', description: 'Work is complete.', categoryId: 3 },
  {
    id: '4',
    name: 'Reopened',
    description: 'This issue was once resolved, but the resolution was deemed incorrect.',
    categoryId: 2,
  },
  {
    id: '1',
    name: 'Open',
    description: 'The issue is open and ready for the assignee to start work on it.',
    categoryId: 2,
  },
  { id: '10004', name: 'Triage', description: 'Being assessed.', categoryId: 2 },
  {
    id: '5',
    name: 'Resolved',
    description: 'A resolution has been taken, and it is awaiting verification.',
    categoryId: 3,
  },
  { id: '10003', name: "Won't Fix", description: 'Closed without a fix.', categoryId: 3 },
];

function systemField(
  id: string,
  name: string,
  kind: JiraFieldRecord['kind'],
  schema: JiraFieldRecord['schema'],
  clauseNames: string[] = [id],
): JiraFieldRecord {
  return {
    id,
    name,
    custom: false,
    kind,
    schema: { ...schema, system: id },
    clauseNames,
    orderable: kind !== 'readonly',
    navigable: true,
    searchable: true,
  };
}

const CF = 'com.atlassian.jira.plugin.system.customfieldtypes';

function customField(
  num: number,
  name: string,
  kind: JiraFieldRecord['kind'],
  type: string,
  customType: string,
  extra: Partial<JiraFieldRecord> = {},
  items?: string,
): JiraFieldRecord {
  const id = `customfield_${num}`;
  return {
    id,
    name,
    custom: true,
    kind,
    schema: { type, ...(items ? { items } : {}), custom: `${CF}:${customType}`, customId: num },
    clauseNames: [`cf[${num}]`, name],
    orderable: true,
    navigable: true,
    searchable: true,
    ...extra,
  };
}

export const CUSTOM_FIELD_IDS = {
  findingId: 'customfield_10040',
  remediation: 'customfield_10041',
  cvssScore: 'customfield_10042',
  scanner: 'customfield_10043',
  cwe: 'customfield_10044',
  findingUrl: 'customfield_10045',
  dueBy: 'customfield_10046',
  securityChampion: 'customfield_10047',
  affectedComponents: 'customfield_10048',
  controlOwner: 'customfield_10049',
  complianceControl: 'customfield_10050',
  auditDueDate: 'customfield_10051',
} as const;

const fields: JiraFieldRecord[] = [
  systemField('summary', 'Summary', 'summary', { type: 'string' }),
  systemField('description', 'Description', 'adf', { type: 'string' }),
  systemField('environment', 'Environment', 'adf', { type: 'string' }),
  systemField('issuetype', 'Issue Type', 'issuetype', { type: 'issuetype' }, ['issuetype', 'type']),
  systemField('project', 'Project', 'project', { type: 'project' }),
  systemField('priority', 'Priority', 'priority', { type: 'priority' }),
  systemField('labels', 'Labels', 'labels', { type: 'array', items: 'string' }),
  systemField('assignee', 'Assignee', 'user', { type: 'user' }),
  systemField('reporter', 'Reporter', 'user', { type: 'user' }),
  systemField('duedate', 'Due date', 'date', { type: 'date' }, ['due', 'duedate']),
  systemField('resolution', 'Resolution', 'resolution', { type: 'resolution' }),
  systemField('status', 'Status', 'readonly', { type: 'status' }),
  systemField('creator', 'Creator', 'readonly', { type: 'user' }),
  systemField('created', 'Created', 'readonly', { type: 'datetime' }, ['created', 'createdDate']),
  systemField('updated', 'Updated', 'readonly', { type: 'datetime' }, ['updated', 'updatedDate']),
  systemField('resolutiondate', 'Resolved', 'readonly', { type: 'datetime' }, ['resolutiondate', 'resolved']),
  systemField('statuscategorychangedate', 'Status Category Changed', 'readonly', { type: 'datetime' }, [
    'statusCategoryChangedDate',
  ]),
  systemField('comment', 'Comment', 'readonly', { type: 'comments-page' }),
  customField(10040, 'Finding ID', 'text', 'string', 'textfield'),
  customField(10041, 'Remediation', 'adf', 'string', 'textarea'),
  customField(10042, 'CVSS score', 'number', 'number', 'float'),
  customField(10043, 'Scanner', 'select', 'option', 'select', {
    options: [
      { id: '10100', value: 'SAST' },
      { id: '10101', value: 'DAST' },
      { id: '10102', value: 'SCA' },
      { id: '10103', value: 'Cloud' },
    ],
  }),
  customField(
    10044,
    'CWE',
    'multiselect',
    'array',
    'multiselect',
    {
      options: [
        { id: '10110', value: 'CWE-79' },
        { id: '10111', value: 'CWE-89' },
        { id: '10112', value: 'CWE-22' },
        { id: '10113', value: 'CWE-798' },
      ],
    },
    'option',
  ),
  customField(10045, 'Finding URL', 'url', 'string', 'url'),
  customField(10046, 'Due by', 'date', 'date', 'datepicker'),
  customField(10047, 'Security champion', 'user', 'user', 'userpicker'),
  customField(10048, 'Affected components', 'labels', 'array', 'labels', {}, 'string'),
  customField(10049, 'Control owner', 'user', 'user', 'userpicker'),
  customField(10050, 'Compliance control', 'select', 'option', 'select', {
    options: [
      { id: '10120', value: 'ISO 27001 A.8.8' },
      { id: '10121', value: 'SOC 2 CC7.1' },
      { id: '10122', value: 'PCI DSS 6.3.3' },
    ],
  }),
  customField(10051, 'Audit due date', 'date', 'date', 'datepicker'),
];

const C = CUSTOM_FIELD_IDS;

function project(p: JiraProjectRecord): JiraProjectRecord {
  return p;
}

const projects: JiraProjectRecord[] = [
  project({
    id: '10000',
    key: 'SEC',
    name: 'Security',
    description: 'Application security findings.',
    projectTypeKey: 'software',
    leadAccountId: SEEDED_USERS.admin,
    issueTypeIds: ['10004', '10001'],
    prioritySchemeId: '1',
    workflow: {
      name: 'SEC: Software workflow',
      initialStatusId: '10000',
      statusIds: ['10000', '3', '10002', '10001', '4'],
      transitions: [
        { id: '11', name: 'Stop progress', from: ['3'], to: '10000' },
        { id: '21', name: 'Start progress', from: ['10000'], to: '3' },
        { id: '31', name: 'Submit for review', from: ['3'], to: '10002' },
        { id: '41', name: 'Request changes', from: ['10002'], to: '3' },
        { id: '51', name: 'Approve', from: ['10002'], to: '10001' },
        { id: '61', name: 'Reopen', from: ['10001'], to: '4' },
        { id: '71', name: 'Start progress', from: ['4'], to: '3' },
      ],
    },
    createScreen: {
      fields: [
        'project',
        'issuetype',
        'summary',
        'description',
        'environment',
        'priority',
        'labels',
        'assignee',
        'reporter',
        'duedate',
        C.findingId,
        C.remediation,
        C.cvssScore,
        C.scanner,
        C.cwe,
        C.findingUrl,
        C.securityChampion,
        C.affectedComponents,
      ],
      required: ['project', 'issuetype', 'summary'],
    },
    editScreen: {
      fields: [
        'summary',
        'description',
        'environment',
        'priority',
        'labels',
        'assignee',
        'reporter',
        'duedate',
        C.findingId,
        C.remediation,
        C.cvssScore,
        C.scanner,
        C.cwe,
        C.findingUrl,
        C.securityChampion,
        C.affectedComponents,
      ],
      required: ['summary'],
    },
  }),
  project({
    id: '10001',
    key: 'OPS',
    name: 'Operations',
    description: 'Infrastructure and cloud findings.',
    projectTypeKey: 'business',
    leadAccountId: SEEDED_USERS.admin,
    issueTypeIds: ['10001', '10004'],
    prioritySchemeId: '10000',
    workflow: {
      name: 'OPS: Operations workflow',
      initialStatusId: '1',
      statusIds: ['1', '10004', '3', '5', '10003'],
      transitions: [
        { id: '11', name: 'Triage', from: ['1'], to: '10004' },
        { id: '21', name: 'Start work', from: ['10004'], to: '3' },
        { id: '31', name: 'Resolve', from: ['3'], to: '5' },
        {
          id: '41',
          name: "Won't fix",
          from: ['1', '10004', '3'],
          to: '10003',
          screen: { fields: ['resolution'], required: ['resolution'] },
        },
        { id: '51', name: 'Reopen', from: ['5'], to: '1' },
        { id: '61', name: 'Reopen', from: ['10003'], to: '1' },
      ],
    },
    createScreen: {
      fields: [
        'project',
        'issuetype',
        'summary',
        'description',
        'priority',
        'labels',
        'assignee',
        'reporter',
        C.findingId,
        C.cvssScore,
        C.findingUrl,
        C.dueBy,
      ],
      required: ['project', 'issuetype', 'summary'],
    },
    editScreen: {
      fields: [
        'summary',
        'description',
        'priority',
        'labels',
        'assignee',
        'reporter',
        C.findingId,
        C.cvssScore,
        C.findingUrl,
        C.dueBy,
      ],
      required: ['summary'],
    },
  }),
  project({
    id: '10002',
    key: 'COMP',
    name: 'Compliance',
    description: 'Findings tracked against compliance controls.',
    projectTypeKey: 'business',
    leadAccountId: SEEDED_USERS.admin,
    issueTypeIds: ['10001'],
    prioritySchemeId: '10001',
    workflow: {
      name: 'COMP: Compliance workflow',
      initialStatusId: '10000',
      statusIds: ['10000', '3', '10001'],
      transitions: [
        { id: '11', name: 'Stop', from: ['3'], to: '10000' },
        { id: '21', name: 'Start', from: ['10000'], to: '3' },
        { id: '31', name: 'Done', from: ['3'], to: '10001' },
        { id: '41', name: 'Reopen', from: ['10001'], to: '10000' },
      ],
    },
    createScreen: {
      fields: [
        'project',
        'issuetype',
        'summary',
        'description',
        'priority',
        'labels',
        'assignee',
        'reporter',
        C.findingId,
        C.remediation,
        C.controlOwner,
        C.complianceControl,
        C.auditDueDate,
      ],
      required: ['project', 'issuetype', 'summary', C.complianceControl, C.auditDueDate],
    },
    editScreen: {
      fields: [
        'summary',
        'description',
        'priority',
        'labels',
        'assignee',
        'reporter',
        C.findingId,
        C.remediation,
        C.controlOwner,
        C.complianceControl,
        C.auditDueDate,
      ],
      required: ['summary', C.complianceControl, C.auditDueDate],
    },
  }),
];

/** Builds the site configuration (no issues). Returns a fresh object each call. */
export function buildSeedState(): JiraState {
  const state: JiraState = {
    version: 1,
    siteUrl: 'https://finding-sync-sandbox.atlassian.net',
    cloudId: '0f4b2c9e-8d7a-4b6c-9e5f-1a2b3c4d5e6f',
    appAccountId: SEEDED_USERS.app,
    sequence: { issueId: 10000, commentId: 10000, historyId: 10000, projectIssueNumber: {} },
    users,
    statuses,
    priorities: [
      { id: '1', name: 'Highest', description: 'This problem will block progress.', statusColor: '#d04437' },
      { id: '2', name: 'High', description: 'Serious problem that could block progress.', statusColor: '#f15C75' },
      { id: '3', name: 'Medium', description: 'Has the potential to affect progress.', statusColor: '#f79232' },
      { id: '4', name: 'Low', description: 'Minor problem or easily worked around.', statusColor: '#707070' },
      {
        id: '5',
        name: 'Lowest',
        description: 'Trivial problem with little or no impact on progress.',
        statusColor: '#999999',
      },
      { id: '10000', name: 'Critical', description: 'Audit blocker.', statusColor: '#cd1316' },
      { id: '10001', name: 'Major', description: 'Must be fixed before the next audit.', statusColor: '#e97f33' },
      { id: '10002', name: 'Minor', description: 'Fix when convenient.', statusColor: '#2a8735' },
      { id: '10003', name: 'Trivial', description: 'Cosmetic.', statusColor: '#55a557' },
    ],
    prioritySchemes: [
      {
        id: '1',
        name: 'Default priority scheme',
        description: 'The default priority scheme.',
        priorityIds: ['1', '2', '3', '4', '5'],
        defaultPriorityId: '3',
        isDefault: true,
      },
      {
        id: '10000',
        name: 'Operations priority scheme',
        description: 'No "Lowest" in operations.',
        priorityIds: ['1', '2', '3', '4'],
        defaultPriorityId: '3',
        isDefault: false,
      },
      {
        id: '10001',
        name: 'Compliance priority scheme',
        description: 'Audit severities.',
        priorityIds: ['10000', '10001', '10002', '10003'],
        defaultPriorityId: '10001',
        isDefault: false,
      },
    ],
    resolutions: [
      { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' },
      { id: '10001', name: "Won't Do", description: "This issue won't be actioned." },
      { id: '10002', name: 'Duplicate', description: 'The problem is a duplicate of an existing issue.' },
      { id: '10003', name: 'Cannot Reproduce', description: 'This issue could not be reproduced at this time.' },
      { id: '10004', name: "Won't Fix", description: 'The risk is accepted; it will not be fixed.' },
    ],
    issueTypes: [
      {
        id: '10001',
        name: 'Task',
        description: 'A small, distinct piece of work.',
        hierarchyLevel: 0,
        subtask: false,
        avatarId: 10318,
      },
      {
        id: '10004',
        name: 'Bug',
        description: 'A problem or error.',
        hierarchyLevel: 0,
        subtask: false,
        avatarId: 10303,
      },
    ],
    fields,
    projects,
    issues: [],
  };
  return structuredClone(state);
}
