import {
  coerceCustomFieldValue,
  mapCustomFields,
  readFindingSource,
  type JiraFieldMeta,
} from '../../src/domain/custom-field';
import { SyncConfigSchema } from '../../src/domain/config';
import { buildFinding } from '../builders/finding';

const custom = (key: string, type: string, items?: string) => ({
  schema: { type, custom: `com.atlassian.jira.plugin.system.customfieldtypes:${key}`, ...(items ? { items } : {}) },
});
const TEXT: JiraFieldMeta = { name: 'Scanner', ...custom('textfield', 'string') };
const TEXTAREA: JiraFieldMeta = { name: 'Notes', ...custom('textarea', 'string') };
const NUMBER: JiraFieldMeta = { name: 'CVSS', ...custom('float', 'number') };
const SELECT: JiraFieldMeta = {
  name: 'Team',
  ...custom('select', 'option'),
  allowedValues: [
    { id: '100', value: 'Payments' },
    { id: '101', value: 'Identity' },
  ],
};
const MULTI: JiraFieldMeta = {
  ...SELECT,
  name: 'CWE',
  ...custom('multiselect', 'array', 'option'),
  allowedValues: [
    { id: '1', value: 'CWE-79' },
    { id: '2', value: 'CWE-89' },
  ],
};
const LABELS: JiraFieldMeta = { name: 'Tags', ...custom('labels', 'array', 'string') };
const URL_FIELD: JiraFieldMeta = { name: 'Link', ...custom('url', 'string') };
const DATE: JiraFieldMeta = { name: 'Found', ...custom('datepicker', 'date') };
const DATETIME: JiraFieldMeta = { name: 'Seen', ...custom('datetime', 'datetime') };
const USER: JiraFieldMeta = { name: 'Owner', ...custom('userpicker', 'user') };

describe('coerceCustomFieldValue', () => {
  it.each<[string, Parameters<typeof coerceCustomFieldValue>[0], JiraFieldMeta, unknown]>([
    ['text', 'CodeQL', TEXT, 'CodeQL'],
    ['text from a list', ['CVE-1', 'CVE-2'], TEXT, 'CVE-1, CVE-2'],
    ['text from a number', 7.5, TEXT, '7.5'],
    ['text, multi-line collapsed', 'a\nb', TEXT, 'a b'],
    ['text truncated to 255', 'x'.repeat(300), TEXT, 'x'.repeat(254) + '…'],
    ['number', 9.8, NUMBER, 9.8],
    ['number from a string', ' 7.5 ', NUMBER, 7.5],
    ['select by name, case-insensitive', 'payments', SELECT, { id: '100' }],
    ['select from a one-item list', ['Identity'], SELECT, { id: '101' }],
    ['select without allowed values', 'Anything', { ...SELECT, allowedValues: undefined }, { value: 'Anything' }],
    ['multi-select', ['CWE-89', 'CWE-79', 'CWE-89'], MULTI, [{ id: '2' }, { id: '1' }]],
    ['labels', ['Needs Triage', 'sca'], LABELS, ['Needs-Triage', 'sca']],
    ['labels from one string', 'team red', LABELS, ['team-red']],
    ['url', 'https://x.org/a', URL_FIELD, 'https://x.org/a'],
    ['date from a date-time', '2024-05-01T22:10:00Z', DATE, '2024-05-01'],
    ['date from a date', '2024-05-01', DATE, '2024-05-01'],
    ['date-time', '2024-05-01T12:00:00+02:00', DATETIME, '2024-05-01T10:00:00.000+0000'],
    ['absent value', undefined, NUMBER, null],
    ['empty string', '  ', TEXT, null],
    ['empty list', [], MULTI, null],
    [
      'environment system field is ADF',
      'x',
      { schema: { type: 'string', system: 'environment' } },
      { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] },
    ],
  ])('%s', (_label, value, field, expected) => {
    expect(coerceCustomFieldValue(value, field)).toEqual({ ok: true, value: expected });
  });

  it('renders textarea Markdown and lists as ADF', () => {
    expect(coerceCustomFieldValue('**Fix** it', TEXTAREA)).toEqual({
      ok: true,
      value: {
        type: 'doc',
        version: 1,
        content: [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Fix', marks: [{ type: 'strong' }] },
              { type: 'text', text: ' it' },
            ],
          },
        ],
      },
    });
    const list = coerceCustomFieldValue(['a', 'b'], TEXTAREA);
    expect(list.ok && (list.value as { content: Array<{ type: string }> }).content[0]?.type).toBe('bulletList');
  });

  it.each<[string, Parameters<typeof coerceCustomFieldValue>[0], JiraFieldMeta, string]>([
    ['number from text', 'high', NUMBER, '"CVSS" needs a number, got "high"'],
    ['number from a list', ['1', '2'], NUMBER, '"CVSS" needs a number, got ["1","2"]'],
    ['unknown option', 'Marketing', SELECT, '"Marketing" is not an option of "Team" (options: Payments, Identity)'],
    ['two values for one option', ['Payments', 'Identity'], SELECT, '"Team" takes one option, got 2 values'],
    [
      'unknown options in a multi-select',
      ['CWE-79', 'CWE-22', 'CWE-1'],
      MULTI,
      '"CWE-22" is not an option of "CWE" (options: CWE-79, CWE-89); ' +
        '"CWE-1" is not an option of "CWE" (options: CWE-79, CWE-89)',
    ],
    ['javascript: URL', 'javascript:alert(1)', URL_FIELD, '"Link" needs one http(s) URL, got "javascript:alert(1)"'],
    ['not a date', 'yesterday', DATE, '"Found" needs an ISO 8601 date, got "yesterday"'],
    ['impossible date', '2024-13-45', DATE, '"Found" needs an ISO 8601 date, got "2024-13-45"'],
    [
      'unsupported type',
      'x',
      USER,
      '"Owner" has type "com.atlassian.jira.plugin.system.customfieldtypes:userpicker", ' +
        'which Finding Sync cannot write',
    ],
  ])('refuses %s', (_label, value, field, error) => {
    expect(coerceCustomFieldValue(value, field)).toEqual({ ok: false, error });
  });
});

describe('readFindingSource', () => {
  const finding = buildFinding({ cve: ['CVE-2024-1'] });
  it.each([
    ['scanner', 'CodeQL'],
    ['cve', ['CVE-2024-1']],
    ['cwe', ['CWE-89']],
    ['cvss.score', 8.1],
    ['asset.name', 'web-frontend'],
    ['location.line', 42],
    ['owner.email', 'dev@example.com'],
    ['attributes.team', 'payments'],
    ['attributes.riskScore', 72],
    ['attributes.missing', undefined],
    ['attributes.constructor', undefined],
  ] as const)('%s', (source, expected) => {
    expect(readFindingSource(finding, source)).toEqual(expected);
  });

  it('reads empty lists as undefined', () => {
    expect(readFindingSource(buildFinding({ references: [] }), 'references')).toBeUndefined();
  });
});

describe('mapCustomFields', () => {
  it('maps what it can, lists cleared fields and precise errors', () => {
    const { fieldMappings } = SyncConfigSchema.parse({
      fieldMappings: [
        { source: 'scanner', fieldId: 'customfield_1' },
        { source: 'attributes.team', fieldId: 'customfield_2' },
        { source: 'cvss.vector', fieldId: 'customfield_3' },
        { source: 'cve', fieldId: 'customfield_4' },
        { source: 'attributes.riskScore', fieldId: 'customfield_5' },
      ],
    });
    const result = mapCustomFields(buildFinding({ cvss: { score: 5 } }), fieldMappings, {
      customfield_1: TEXT,
      customfield_2: SELECT,
      customfield_3: TEXT,
      customfield_5: SELECT,
    });
    expect(result).toEqual({
      fields: { customfield_1: 'CodeQL', customfield_2: { id: '100' } },
      cleared: ['customfield_3'],
      errors: [
        { fieldId: 'customfield_4', source: 'cve', message: "Field customfield_4 is not on this project's screen" },
        {
          fieldId: 'customfield_5',
          source: 'attributes.riskScore',
          message: '"72" is not an option of "Team" (options: Payments, Identity)',
        },
      ],
    });
  });
});
