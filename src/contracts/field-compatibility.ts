/**
 * Which Jira fields can hold which finding value: the admin page offers only compatible fields and
 * the resolver refuses an incompatible mapping on save. Pure; shared by static/admin and the server.
 * The field kinds follow how the sync writes values (src/domain/custom-field.ts).
 */

export type FieldSchemaLike = { type: string; items?: string; custom?: string; system?: string };

export type JiraFieldKind =
  'text' | 'textarea' | 'number' | 'option' | 'options' | 'labels' | 'url' | 'date' | 'datetime';
export type SourceKind = 'text' | 'markdown' | 'number' | 'list' | 'url' | 'datetime' | 'attribute';

const CUSTOM_KINDS: Readonly<Record<string, JiraFieldKind>> = {
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

const KIND_LABELS: Readonly<Record<JiraFieldKind, string>> = {
  text: 'a single-line text field',
  textarea: 'a paragraph field',
  number: 'a number field',
  option: 'a single-select field',
  options: 'a multi-select field',
  labels: 'a labels field',
  url: 'a URL field',
  date: 'a date field',
  datetime: 'a date-time field',
};

/** How the sync writes a field of this schema, or undefined when it cannot write it at all. */
export function classifyJiraField(schema: FieldSchemaLike | undefined): JiraFieldKind | undefined {
  if (!schema) return undefined;
  if (schema.custom !== undefined) {
    const kind = CUSTOM_KINDS[schema.custom.slice(schema.custom.lastIndexOf(':') + 1)];
    if (kind) return kind;
    if (schema.type !== 'string' && schema.type !== 'number') return undefined;
  }
  if (schema.system === 'environment') return 'textarea';
  if (schema.system !== undefined) return undefined; // other system fields are the sync's own (summary, labels, ...)
  switch (schema.type) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'option':
      return 'option';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'array':
      return schema.items === 'option' ? 'options' : schema.items === 'string' ? 'labels' : undefined;
    default:
      return undefined;
  }
}

const SOURCE_KINDS: Readonly<Record<string, SourceKind>> = {
  title: 'text',
  severity: 'text',
  status: 'text',
  scanner: 'text',
  cve: 'list',
  cwe: 'list',
  'cvss.score': 'number',
  'cvss.vector': 'text',
  'asset.id': 'text',
  'asset.name': 'text',
  remediation: 'markdown',
  url: 'url',
  references: 'list',
  'location.file': 'text',
  'location.line': 'number',
  'location.url': 'url',
  'owner.email': 'text',
  updatedAt: 'datetime',
};

/** Human names of the finding values, for pickers. */
export const FIELD_SOURCE_LABELS: Readonly<Record<string, string>> = {
  title: 'Title',
  severity: 'Severity',
  status: 'Finding status',
  scanner: 'Scanner',
  cve: 'CVE ids',
  cwe: 'CWE ids',
  'cvss.score': 'CVSS score',
  'cvss.vector': 'CVSS vector',
  'asset.id': 'Asset id',
  'asset.name': 'Asset name',
  remediation: 'Remediation (Markdown)',
  url: 'Finding URL',
  references: 'References',
  'location.file': 'File',
  'location.line': 'Line',
  'location.url': 'Location URL',
  'owner.email': 'Owner email',
  updatedAt: 'Updated at',
};

export function classifySource(source: string): SourceKind | undefined {
  if (source.startsWith('attributes.')) return 'attribute';
  return SOURCE_KINDS[source];
}

const ACCEPTS: Readonly<Record<JiraFieldKind, ReadonlyArray<SourceKind>>> = {
  text: ['text', 'markdown', 'number', 'list', 'url', 'datetime', 'attribute'],
  textarea: ['text', 'markdown', 'number', 'list', 'url', 'datetime', 'attribute'],
  number: ['number', 'attribute'],
  option: ['text', 'attribute'],
  options: ['text', 'list', 'attribute'],
  labels: ['text', 'list', 'number', 'attribute'],
  url: ['url', 'attribute'],
  date: ['datetime', 'attribute'],
  datetime: ['datetime', 'attribute'],
};

const SOURCE_KIND_LABELS: Readonly<Record<SourceKind, string>> = {
  text: 'text',
  markdown: 'multi-line Markdown',
  number: 'a number',
  list: 'a list of values',
  url: 'a URL',
  datetime: 'a date-time',
  attribute: 'a platform attribute',
};

export type FieldCompatibility = { ok: true; kind: JiraFieldKind } | { ok: false; reason: string };

/** Whether the field (by its Jira schema) can hold the finding value `source`, and why not. */
export function checkFieldCompatibility(
  source: string,
  field: { name: string; schema?: FieldSchemaLike },
): FieldCompatibility {
  const kind = classifyJiraField(field.schema);
  if (!kind) {
    const type = field.schema?.custom ?? field.schema?.system ?? field.schema?.type ?? 'unknown';
    return { ok: false, reason: `"${field.name}" has type "${type}", which Finding Sync cannot write` };
  }
  const sourceKind = classifySource(source);
  if (!sourceKind) return { ok: false, reason: `"${source}" is not a finding value` };
  if (!ACCEPTS[kind].includes(sourceKind)) {
    return {
      ok: false,
      reason: `"${field.name}" is ${KIND_LABELS[kind]}; it cannot hold ${SOURCE_KIND_LABELS[sourceKind]} (${FIELD_SOURCE_LABELS[source] ?? source})`,
    };
  }
  return { ok: true, kind };
}
