import { checkFieldCompatibility } from '../../src/contracts/field-compatibility';
import { coerceCustomFieldValue, readFindingSource } from '../../src/domain/custom-field';
import { classifyJiraField, type FieldClassification, type JiraFieldSchema } from '../../src/domain/field-kinds';
import { FIELD_SOURCES } from '../../src/domain/field-sources';
import { buildFinding } from '../builders/finding';

/**
 * One classifier for the admin check (contracts/field-compatibility.ts) and the runtime coercion
 * (domain/custom-field.ts): every kind of Jira field schema, what the sync makes of it, and proof
 * that the page and the sync agree on it.
 */

const JIRA = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const APP = 'ari:cloud:ecosystem::extension/0c3a7f6e-1f9e-4c7a-9d7a-2b1d0f3c4e5a/static/';
const jira = (key: string, type: string, items?: string): JiraFieldSchema => ({
  type,
  custom: `${JIRA}${key}`,
  ...(items ? { items } : {}),
});
const app = (key: string, type: string, items?: string): JiraFieldSchema => ({
  type,
  custom: `${APP}${key}`,
  ...(items ? { items } : {}),
});
const system = (id: string, type: string, items?: string): JiraFieldSchema => ({
  type,
  system: id,
  ...(items ? { items } : {}),
});
const mappable = (kind: Extract<FieldClassification, { mappable: true }>['kind']): FieldClassification => ({
  mappable: true,
  kind,
});
const unsupported = (typeName: string): FieldClassification => ({ mappable: false, reason: 'unsupported', typeName });
const bySync = (typeName: string): FieldClassification => ({ mappable: false, reason: 'written-by-sync', typeName });

const CASES: ReadonlyArray<[string, JiraFieldSchema | undefined, FieldClassification]> = [
  ['Jira text field', jira('textfield', 'string'), mappable('text')],
  ['Jira paragraph field (ADF)', jira('textarea', 'string'), mappable('textarea')],
  ['Jira number field', jira('float', 'number'), mappable('number')],
  ['Jira single select', jira('select', 'option'), mappable('option')],
  ['Jira radio buttons', jira('radiobuttons', 'option'), mappable('option')],
  ['Jira multi-select', jira('multiselect', 'array', 'option'), mappable('options')],
  ['Jira checkboxes', jira('multicheckboxes', 'array', 'option'), mappable('options')],
  ['Jira labels field', jira('labels', 'array', 'string'), mappable('labels')],
  ['Jira URL field', jira('url', 'string'), mappable('url')],
  ['Jira date picker', jira('datepicker', 'date'), mappable('date')],
  ['Jira date-time picker', jira('datetime', 'datetime'), mappable('datetime')],
  ['Jira read-only text (by type)', jira('readonlyfield', 'string'), mappable('text')],
  ['Jira user picker', jira('userpicker', 'user'), unsupported(`${JIRA}userpicker`)],
  ['Jira multi-user picker', jira('multiuserpicker', 'array', 'user'), unsupported(`${JIRA}multiuserpicker`)],
  ['Jira cascading select', jira('cascadingselect', 'option-with-child'), unsupported(`${JIRA}cascadingselect`)],
  ['Jira version picker', jira('version', 'version'), unsupported(`${JIRA}version`)],
  ['an app string field', app('risk-note', 'string'), mappable('text')],
  ['an app number field', app('risk-score', 'number'), mappable('number')],
  [
    'Jira Software story points',
    { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points' },
    mappable('number'),
  ],
  ['an app date field', app('review-date', 'date'), mappable('date')],
  ['an app date-time field', app('seen-at', 'datetime'), mappable('datetime')],
  ['an app option field (value shape unknown)', app('tier', 'option'), unsupported(`${APP}tier`)],
  ['an app list of strings (value shape unknown)', app('tags', 'array', 'string'), unsupported(`${APP}tags`)],
  ['an app field of type any', app('blob', 'any'), unsupported(`${APP}blob`)],
  [
    'another vendor key ending ":textarea" is text',
    { type: 'string', custom: 'com.example:textarea' },
    mappable('text'),
  ],
  ['environment (ADF)', system('environment', 'string'), mappable('textarea')],
  ['description (the sync writes it)', system('description', 'string'), bySync('description')],
  ['summary (the sync writes it)', system('summary', 'string'), bySync('summary')],
  ['labels (the sync writes them)', system('labels', 'array', 'string'), bySync('labels')],
  ['priority (the sync writes it)', system('priority', 'priority'), bySync('priority')],
  ['assignee (the sync writes it)', system('assignee', 'user'), bySync('assignee')],
  ['due date (the sync writes it)', system('duedate', 'date'), bySync('duedate')],
  ['components', system('components', 'array', 'component'), unsupported('components')],
  ['a field without a schema', undefined, unsupported('unknown')],
];

describe('classifyJiraField', () => {
  it.each(CASES)('%s', (_case, schema, expected) => {
    expect(classifyJiraField(schema)).toEqual(expected);
  });

  it('covers every kind a field can be written as', () => {
    const kinds = new Set(CASES.flatMap(([, , c]) => (c.mappable ? [c.kind] : [])));
    expect([...kinds].sort()).toEqual(
      ['date', 'datetime', 'labels', 'number', 'option', 'options', 'text', 'textarea', 'url'].sort(),
    );
  });
});

describe('the admin check and the runtime agree', () => {
  const finding = buildFinding({ cve: ['CVE-2024-0001'] });

  it.each(CASES)('%s', (_case, schema, classification) => {
    const field = { name: 'Target', ...(schema ? { schema } : {}) };
    for (const source of FIELD_SOURCES) {
      const admin = checkFieldCompatibility(source, field);
      if (!schema) {
        expect(admin.ok).toBe(false);
        continue;
      }
      const runtime = coerceCustomFieldValue(readFindingSource(finding, source), { name: 'Target', schema });
      if (!classification.mappable) {
        // Refused by both, in the same words.
        expect(admin).toEqual({ ok: false, reason: expect.any(String) });
        expect(runtime).toEqual({ ok: false, error: admin.ok ? undefined : admin.reason });
      } else if (admin.ok) {
        // A mapping the page accepts is one the sync writes (for a finding that has the value).
        expect({ source, kind: admin.kind, runtime: runtime.ok }).toEqual({
          source,
          kind: classification.kind,
          runtime: true,
        });
      }
    }
  });

  it('description is refused by both, as the sync’s own field', () => {
    const schema = system('description', 'string');
    expect(checkFieldCompatibility('remediation', { name: 'Description', schema })).toEqual({
      ok: false,
      reason: '"Description" is written by Finding Sync itself (see the field ownership settings); it cannot be mapped',
    });
    expect(coerceCustomFieldValue('x', { name: 'Description', schema })).toEqual({
      ok: false,
      error: '"Description" is written by Finding Sync itself (see the field ownership settings); it cannot be mapped',
    });
  });
});
