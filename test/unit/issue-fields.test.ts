import { buildFinding } from '../builders/finding';
import { defaultSyncConfig, SyncConfigSchema } from '../../src/domain/config';
import {
  buildIssueCreateRequest,
  buildIssueEditFields,
  fingerprintFinding,
  LINK_PROPERTY_KEY,
  type IssueTypeMeta,
} from '../../src/domain/issue-fields';

const meta: IssueTypeMeta = {
  projectKey: 'SEC',
  issueTypeId: '10004',
  fields: {
    summary: { required: true, schema: { type: 'string', system: 'summary' } },
    description: { required: false, schema: { type: 'string', system: 'description' } },
    labels: { required: false, schema: { type: 'array', items: 'string', system: 'labels' } },
    priority: { required: false, schema: { type: 'priority', system: 'priority' } },
    assignee: { required: false, schema: { type: 'user', system: 'assignee' } },
    customfield_10042: {
      name: 'CVSS score',
      required: false,
      schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' },
    },
  },
  priorities: [
    { id: '1', name: 'Highest' },
    { id: '2', name: 'High' },
  ],
  statuses: [],
};
const mapping = { id: 'web', projectKey: 'SEC', issueTypeName: 'Bug', labels: ['appsec'], match: { assetIds: ['a'] } };
const config = SyncConfigSchema.parse({
  fieldMappings: [
    { source: 'cvss.score', fieldId: 'customfield_10042' },
    { source: 'scanner', fieldId: 'customfield_10043' },
  ],
  slaDays: { high: 30 },
});
const now = new Date('2024-05-01T00:00:00Z');

describe('buildIssueCreateRequest', () => {
  it('builds the fields on the screen and the link property in the same request', () => {
    const finding = buildFinding({ cve: ['CVE-2024-1234'], owner: { accountId: 'acc-1' } });
    const { request, fingerprint } = buildIssueCreateRequest({
      finding,
      findingKey: 'fk-1',
      source: 'conviso',
      mapping,
      config,
      meta,
      assigneeAccountId: 'acc-1',
      now,
    });
    expect(request.fields).toMatchObject({
      project: { key: 'SEC' },
      issuetype: { id: '10004' },
      summary: 'CVE-2024-1234: SQL injection in login form in app/login.py:42',
      labels: ['finding-sync', 'severity-high', 'codeql', 'appsec'],
      priority: { id: '2' },
      assignee: { accountId: 'acc-1' },
      customfield_10042: 8.1,
      description: expect.objectContaining({ type: 'doc', version: 1 }),
    });
    // Not on this screen: skipped, not sent.
    expect(request.fields).not.toHaveProperty('customfield_10043');
    expect(request.fields).not.toHaveProperty('duedate');
    expect(request.properties).toEqual([
      {
        key: LINK_PROPERTY_KEY,
        value: { findingKey: 'fk-1', findingId: 'finding-1', source: 'conviso', fingerprint: fingerprint.value },
      },
    ]);
  });
});

describe('buildIssueEditFields', () => {
  const input = {
    finding: buildFinding({ severity: 'critical' }),
    mapping,
    config,
    meta,
    assigneeAccountId: undefined,
    now,
  };
  it.each([
    [['summary'], ['summary']],
    [['labels', 'status'], ['labels']],
    [['priority', 'assignee'], []], // Jira owns them after creation by default
    [['customFields'], ['customfield_10042']],
  ] as const)('%j → %j', (changed, expected) => {
    expect(Object.keys(buildIssueEditFields(changed, input) ?? {})).toEqual(expected);
  });

  it('edits priority when the platform owns it', () => {
    const owning = SyncConfigSchema.parse({ ownership: { platformOwned: ['priority'] } });
    expect(buildIssueEditFields(['priority'], { ...input, config: owning })).toEqual({ priority: { id: '1' } });
  });

  it('a finding fingerprint ignores updatedAt', () => {
    const finding = buildFinding();
    expect(fingerprintFinding({ ...finding, updatedAt: '2031-01-01T00:00:00Z' }, defaultSyncConfig()).value).toBe(
      fingerprintFinding(finding, defaultSyncConfig()).value,
    );
  });
});
