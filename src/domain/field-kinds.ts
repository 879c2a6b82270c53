/**
 * The one judgement of how Finding Sync writes a Jira field, from the field's `schema` (as GET
 * /rest/api/3/field and create/edit meta give it). The admin check (src/contracts/
 * field-compatibility.ts) and the runtime coercion (domain/custom-field.ts) both ask it, so a field
 * the page accepts is a field the sync writes, and the other way round. Pure and dependency-free:
 * the admin page bundles it.
 *
 * - Jira's own custom field types (`com.atlassian.jira.plugin.system.customfieldtypes:<key>`) by key:
 *   textfield, textarea (ADF), float, select, radiobuttons, multiselect, multicheckboxes, labels,
 *   url, datepicker, datetime. Its other keys (userpicker, cascadingselect, version, ...) are judged
 *   by type like any other field.
 * - Any other custom field (an app's, Jira Software's, ...) by its `type`, where the REST value
 *   shape follows from the type alone: string → plain text, number, date (`YYYY-MM-DD`), datetime.
 *   An option, array, user or other typed field of unknown origin is not written: its value shape
 *   is the owner's, and a guess would fail every finding.
 * - System fields: environment is a paragraph field (ADF). Summary, description, labels, priority,
 *   assignee and due date are written by the sync itself (see the ownership settings), so a field
 *   mapping cannot target them. Other system fields are not written.
 */

export type JiraFieldSchema = { type: string; items?: string; custom?: string; system?: string };

export const JIRA_FIELD_KINDS = [
  'text',
  'textarea',
  'number',
  'option',
  'options',
  'labels',
  'url',
  'date',
  'datetime',
] as const;
/** How the sync writes a value into the field. */
export type JiraFieldKind = (typeof JIRA_FIELD_KINDS)[number];

export type FieldClassification =
  | { mappable: true; kind: JiraFieldKind }
  | { mappable: false; reason: 'written-by-sync' | 'unsupported'; typeName: string };

export const JIRA_CUSTOM_FIELD_TYPE_PREFIX = 'com.atlassian.jira.plugin.system.customfieldtypes:';

const JIRA_CUSTOM_KINDS: Readonly<Record<string, JiraFieldKind>> = {
  textfield: 'text',
  textarea: 'textarea',
  float: 'number',
  select: 'option',
  radiobuttons: 'option',
  multiselect: 'options',
  multicheckboxes: 'options',
  labels: 'labels',
  url: 'url',
  datepicker: 'date',
  datetime: 'datetime',
};

/** Value shapes that follow from the schema type alone, whoever owns the field. */
const KINDS_BY_TYPE: Readonly<Record<string, JiraFieldKind>> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'datetime',
};

/** System fields the sync fills from the finding itself (field ids as Jira names them in `schema.system`). */
export const SYNC_WRITTEN_SYSTEM_FIELDS: ReadonlyArray<string> = [
  'summary',
  'description',
  'labels',
  'priority',
  'assignee',
  'duedate',
];

const MAPPABLE_SYSTEM_KINDS: Readonly<Record<string, JiraFieldKind>> = { environment: 'textarea' };

function typeName(schema: JiraFieldSchema): string {
  return schema.custom ?? schema.system ?? (schema.items ? `${schema.type} of ${schema.items}` : schema.type);
}

const own = (table: Readonly<Record<string, JiraFieldKind>>, key: string): JiraFieldKind | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** Whether a field mapping can target a field of this schema, and how its value is written. */
export function classifyJiraField(schema: JiraFieldSchema | undefined): FieldClassification {
  if (!schema) return { mappable: false, reason: 'unsupported', typeName: 'unknown' };
  if (schema.custom !== undefined) {
    const kind = schema.custom.startsWith(JIRA_CUSTOM_FIELD_TYPE_PREFIX)
      ? own(JIRA_CUSTOM_KINDS, schema.custom.slice(JIRA_CUSTOM_FIELD_TYPE_PREFIX.length))
      : undefined;
    const byType = kind ?? own(KINDS_BY_TYPE, schema.type);
    return byType
      ? { mappable: true, kind: byType }
      : { mappable: false, reason: 'unsupported', typeName: typeName(schema) };
  }
  if (schema.system !== undefined) {
    const kind = own(MAPPABLE_SYSTEM_KINDS, schema.system);
    if (kind) return { mappable: true, kind };
    return {
      mappable: false,
      reason: SYNC_WRITTEN_SYSTEM_FIELDS.includes(schema.system) ? 'written-by-sync' : 'unsupported',
      typeName: schema.system,
    };
  }
  // Neither custom nor system: Jira always says which; judge by type as for a custom field of unknown origin.
  const kind = own(KINDS_BY_TYPE, schema.type);
  return kind ? { mappable: true, kind } : { mappable: false, reason: 'unsupported', typeName: typeName(schema) };
}

/** Why a field cannot be mapped, in words; `label` names the field (e.g. `"Security owner"`). */
export function describeUnmappableField(
  label: string,
  classification: Extract<FieldClassification, { mappable: false }>,
): string {
  return classification.reason === 'written-by-sync'
    ? `${label} is written by Finding Sync itself (see the field ownership settings); it cannot be mapped`
    : `${label} has type "${classification.typeName}", which Finding Sync cannot write`;
}
