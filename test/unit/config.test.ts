import { defaultSyncConfig, parseSyncConfig, SyncConfigSchema } from '../../src/domain/config';

const mapping = { id: 'web', match: { assetIds: ['asset-web'] }, projectKey: 'SEC', issueTypeName: 'Bug' };

describe('SyncConfigSchema', () => {
  it('gives the documented defaults for an empty document', () => {
    expect(defaultSyncConfig()).toEqual({
      version: 1,
      priorityMap: { critical: 'Highest', high: 'High', medium: 'Medium', low: 'Low', info: 'Lowest' },
      autoCreate: { mode: 'all' },
      slaDays: {},
      statusMap: {
        open: null,
        in_progress: null,
        resolved: { statusCategory: 'done', resolutionName: 'Done' },
        false_positive: { statusCategory: 'done', resolutionName: "Won't Do" },
        risk_accepted: { statusCategory: 'done', resolutionName: "Won't Do" },
        reopened: { statusCategory: 'new' },
      },
      jiraStatusMap: { byCategory: { new: 'open', indeterminate: 'in_progress', done: 'resolved' }, rules: [] },
      mappings: [],
      fieldMappings: [],
      ownership: { platformOwned: ['summary', 'description', 'labels', 'customFields'] },
      onDeletedIssue: 'ignore',
      comments: { toJira: true, toPlatform: true, includeRestricted: false },
    });
  });

  it('returns fresh objects: changing one default config does not change the next', () => {
    const first = defaultSyncConfig();
    first.ownership.platformOwned.push('priority');
    (first.statusMap.resolved as { resolutionName?: string }).resolutionName = 'Fixed';
    expect(defaultSyncConfig().ownership.platformOwned).toEqual(['summary', 'description', 'labels', 'customFields']);
    expect(defaultSyncConfig().statusMap.resolved).toEqual({ statusCategory: 'done', resolutionName: 'Done' });
  });

  it('is stable when parsed again (what is stored parses to the same thing)', () => {
    const config = SyncConfigSchema.parse({
      mappings: [
        {
          ...mapping,
          statusMap: { resolved: { statusName: 'Fixed' }, reopened: null },
          jiraStatusMap: { rules: [{ statusName: "Won't Fix", findingStatus: 'risk_accepted' }] },
        },
      ],
      defaultMapping: { projectKey: 'OPS', issueTypeId: '10001' },
      statusMap: { open: { statusCategory: 'new' } },
      jiraStatusMap: { byCategory: { indeterminate: null } },
      fieldMappings: [{ source: 'attributes.team', fieldId: 'customfield_10042' }],
      slaDays: { critical: 7 },
    });
    expect(SyncConfigSchema.parse(JSON.parse(JSON.stringify(config)))).toEqual(config);
    expect(config.defaultMapping).toEqual({ id: 'default', projectKey: 'OPS', issueTypeId: '10001', labels: [] });
    expect(config.statusMap.open).toEqual({ statusCategory: 'new' });
    expect(config.statusMap.resolved).toEqual({ statusCategory: 'done', resolutionName: 'Done' });
    expect(config.jiraStatusMap.byCategory).toEqual({ new: 'open', indeterminate: null, done: 'resolved' });
  });

  it.each([
    ['a future version', { version: 2 }, 'version', 'Unsupported config version: expected 1'],
    [
      'an empty severity policy',
      { autoCreate: { mode: 'severities', severities: [] } },
      'autoCreate.severities',
      'Choose at least one severity (or use mode "none")',
    ],
    [
      'an unknown policy mode',
      { autoCreate: { mode: 'some' } },
      'autoCreate.mode',
      'Must be {mode: "all"}, {mode: "none"} or {mode: "severities", severities: [...]}',
    ],
    ['a zero-day SLA', { slaDays: { high: 0 } }, 'slaDays.high', 'Must be at least 1 day'],
    [
      'a status target without a status',
      { statusMap: { resolved: { resolutionName: 'Done' } } },
      'statusMap.resolved',
      'Set statusId, statusName or statusCategory',
    ],
    [
      'a rule without a match',
      { jiraStatusMap: { rules: [{ findingStatus: 'resolved' }] } },
      'jiraStatusMap.rules[0]',
      'Set statusId, statusName or resolutionName',
    ],
    [
      'a lower-case project key',
      { mappings: [{ ...mapping, projectKey: 'sec' }] },
      'mappings[0].projectKey',
      'Must be a Jira project key: an upper-case letter, then upper-case letters, digits or "_"',
    ],
    [
      'a mapping without a match',
      { mappings: [{ ...mapping, match: {} }] },
      'mappings[0].match',
      'Set assetIds or assetNamePattern',
    ],
    [
      'a mapping without an issue type',
      { mappings: [{ ...mapping, issueTypeName: undefined }] },
      'mappings[0].issueTypeId',
      'Set issueTypeId or issueTypeName',
    ],
    [
      'a label with a space',
      { mappings: [{ ...mapping, labels: ['app sec'] }] },
      'mappings[0].labels[0]',
      'Labels cannot contain spaces',
    ],
    ['duplicate mapping ids', { mappings: [mapping, mapping] }, 'mappings[1].id', 'Duplicate mapping id "web"'],
    [
      'the reserved id "default"',
      { mappings: [{ ...mapping, id: 'default' }] },
      'mappings[0].id',
      '"default" is reserved for the default mapping',
    ],
    [
      'an unknown field source',
      { fieldMappings: [{ source: 'secret', fieldId: 'customfield_1' }] },
      'fieldMappings[0].source',
      expect.stringContaining('or attributes.<name>'),
    ],
    [
      'a system field as target',
      { fieldMappings: [{ source: 'cve', fieldId: 'summary' }] },
      'fieldMappings[0].fieldId',
      'Must be a custom field id like customfield_10042 (or environment)',
    ],
    [
      'a field mapped twice',
      {
        fieldMappings: [
          { source: 'cve', fieldId: 'customfield_1' },
          { source: 'cwe', fieldId: 'customfield_1' },
        ],
      },
      'fieldMappings[1].fieldId',
      'customfield_1 is mapped twice',
    ],
    [
      'an unknown owned field',
      { ownership: { platformOwned: ['status'] } },
      'ownership.platformOwned[0]',
      expect.stringContaining('Invalid option'),
    ],
    [
      'an unknown deletion policy',
      { onDeletedIssue: 'delete' },
      'onDeletedIssue',
      expect.stringContaining('Invalid option'),
    ],
  ])('rejects %s with a precise error', (_label, input, path, message) => {
    const result = parseSyncConfig(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path, message });
  });
});
