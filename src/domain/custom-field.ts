import { markdownToAdf } from './adf';
import type { FieldMapping } from './config';
import { classifyJiraField, describeUnmappableField, type JiraFieldSchema } from './field-kinds';
import { ATTRIBUTE_SOURCE_PREFIX, isAttributeSource, type FieldSource, type FieldSourceTable } from './field-sources';
import type { Finding } from './finding';
import { isSafeWebUrl, stripUnsafeCharacters, truncateText } from './text';

/** A value read from a finding for a field mapping. */
export type FieldSourceValue = string | number | ReadonlyArray<string> | undefined;

/** Jira's field metadata (`schema` of GET /rest/api/3/field or create/edit meta). */
export type { JiraFieldSchema };
export type JiraFieldOption = { id?: string; value?: string; name?: string };
export type JiraFieldMeta = {
  name?: string;
  schema: JiraFieldSchema;
  /** Options of select/multi-select fields, from create/edit meta. */
  allowedValues?: ReadonlyArray<JiraFieldOption>;
};

export type CoercionResult = { ok: true; value: unknown } | { ok: false; error: string };

const TEXT_FIELD_MAX = 255;
const MAX_OPTIONS_IN_MESSAGE = 20;

const list = (values: ReadonlyArray<string>) => (values.length > 0 ? values : undefined);

/** How each known source is read from a finding: one entry per source (a missing one fails to compile). */
const SOURCE_READERS: FieldSourceTable<(finding: Finding) => FieldSourceValue> = {
  title: (finding) => finding.title,
  severity: (finding) => finding.severity,
  status: (finding) => finding.status,
  scanner: (finding) => finding.scanner,
  cve: (finding) => list(finding.cve),
  cwe: (finding) => list(finding.cwe),
  'cvss.score': (finding) => finding.cvss?.score,
  'cvss.vector': (finding) => finding.cvss?.vector,
  'asset.id': (finding) => finding.asset?.id,
  'asset.name': (finding) => finding.asset?.name,
  remediation: (finding) => finding.remediation,
  url: (finding) => finding.url,
  references: (finding) => list(finding.references),
  'location.file': (finding) => finding.location?.file,
  'location.line': (finding) => finding.location?.line,
  'location.url': (finding) => finding.location?.url,
  'owner.email': (finding) => finding.owner?.email,
  updatedAt: (finding) => finding.updatedAt,
};

/** Reads a mapping source from a finding; empty lists read as undefined. */
export function readFindingSource(finding: Finding, source: FieldSource): FieldSourceValue {
  if (isAttributeSource(source)) {
    const key = source.slice(ATTRIBUTE_SOURCE_PREFIX.length);
    return Object.prototype.hasOwnProperty.call(finding.attributes, key) ? finding.attributes[key] : undefined;
  }
  // Sources come typed from the parsed config; an untyped one reads as absent rather than throwing.
  return Object.prototype.hasOwnProperty.call(SOURCE_READERS, source) ? SOURCE_READERS[source](finding) : undefined;
}

function asList(value: Exclude<FieldSourceValue, undefined>): string[] {
  return typeof value === 'object' ? [...value] : [String(value)];
}

function fieldLabel(field: JiraFieldMeta): string {
  return field.name ? `"${field.name}"` : 'the field';
}

function findOption(name: string, field: JiraFieldMeta): JiraFieldOption | undefined {
  const wanted = name.trim().toLowerCase();
  return field.allowedValues?.find((option) => (option.value ?? option.name ?? '').trim().toLowerCase() === wanted);
}

function optionReference(name: string, field: JiraFieldMeta): CoercionResult {
  if (field.allowedValues === undefined) return { ok: true, value: { value: name } };
  const option = findOption(name, field);
  if (option?.id !== undefined) return { ok: true, value: { id: option.id } };
  if (option) return { ok: true, value: { value: option.value ?? option.name } };
  const known = field.allowedValues.map((o) => o.value ?? o.name).filter((v): v is string => v !== undefined);
  const shown =
    known.slice(0, MAX_OPTIONS_IN_MESSAGE).join(', ') + (known.length > MAX_OPTIONS_IN_MESSAGE ? ', …' : '');
  return { ok: false, error: `"${name}" is not an option of ${fieldLabel(field)} (options: ${shown || 'none'})` };
}

/** Turns free text into a Jira label (no whitespace, at most 255 characters). */
export function sanitiseLabel(value: string): string {
  const label = stripUnsafeCharacters(value, false).trim().replace(/\s+/g, '-');
  return label.length > TEXT_FIELD_MAX ? label.slice(0, TEXT_FIELD_MAX) : label;
}

function toDate(value: string): Date | undefined {
  const trimmed = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) return undefined;
  const millis = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
  return Number.isNaN(millis) ? undefined : new Date(millis);
}

/**
 * Converts a finding value to what Jira's REST API v3 expects for a field of the given type (as
 * judged by `classifyJiraField`, the same judgement as the admin page's):
 * text (≤ 255, single line, truncated with an ellipsis), textarea (ADF from Markdown), number,
 * select (one option by name → `{id}`), multi-select (`[{id}]`), labels (no spaces), URL (http(s)),
 * date (`YYYY-MM-DD`), date-time. An absent value gives `{ok: true, value: null}` (clear / omit).
 */
export function coerceCustomFieldValue(value: FieldSourceValue, field: JiraFieldMeta): CoercionResult {
  const classification = classifyJiraField(field.schema);
  if (!classification.mappable) return { ok: false, error: describeUnmappableField(fieldLabel(field), classification) };
  const kind = classification.kind;
  if (
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (typeof value === 'object' && value.length === 0)
  ) {
    return { ok: true, value: null };
  }
  const list = asList(value);
  const shown = JSON.stringify(typeof value === 'object' ? list : value);
  switch (kind) {
    case 'text':
      return {
        ok: true,
        value: truncateText(stripUnsafeCharacters(list.join(', '), false).replace(/\s+/g, ' ').trim(), TEXT_FIELD_MAX),
      };
    case 'textarea':
      return {
        ok: true,
        value: markdownToAdf(typeof value === 'object' ? list.map((item) => `- ${item}`).join('\n') : String(value)),
      };
    case 'number': {
      if (typeof value === 'number') return { ok: true, value };
      const number = list.length === 1 ? Number(list[0]!.trim()) : NaN;
      return Number.isFinite(number) && list[0]!.trim() !== ''
        ? { ok: true, value: number }
        : {
            ok: false,
            error: `${fieldLabel(field)} needs a number, got ${shown}`,
          };
    }
    case 'option':
      if (list.length !== 1)
        return { ok: false, error: `${fieldLabel(field)} takes one option, got ${list.length} values` };
      return optionReference(list[0]!, field);
    case 'options': {
      const references: unknown[] = [];
      const errors: string[] = [];
      for (const name of new Set(list)) {
        const result = optionReference(name, field);
        if (result.ok) references.push(result.value);
        else errors.push(result.error);
      }
      return errors.length > 0 ? { ok: false, error: errors.join('; ') } : { ok: true, value: references };
    }
    case 'labels':
      return { ok: true, value: [...new Set(list.map(sanitiseLabel).filter((label) => label !== ''))] };
    case 'url': {
      const url = list[0]!.trim();
      return list.length === 1 && isSafeWebUrl(url)
        ? { ok: true, value: url }
        : {
            ok: false,
            error: `${fieldLabel(field)} needs one http(s) URL, got ${shown}`,
          };
    }
    case 'date':
    case 'datetime': {
      const date = list.length === 1 && typeof value === 'string' ? toDate(value) : undefined;
      if (!date)
        return {
          ok: false,
          error: `${fieldLabel(field)} needs an ISO 8601 date, got ${shown}`,
        };
      const iso = date.toISOString();
      return { ok: true, value: kind === 'date' ? iso.slice(0, 10) : iso.replace('Z', '+0000') };
    }
  }
}

export type CustomFieldError = { fieldId: string; source: FieldSource; message: string };
export type MappedCustomFields = {
  /** Field id → Jira value, for fields with a value. */
  fields: Record<string, unknown>;
  /** Fields whose source is empty (omit on create, clear on edit). */
  cleared: string[];
  errors: CustomFieldError[];
};

/** Applies every field mapping to a finding, using each field's metadata; unknown fields are errors. */
export function mapCustomFields(
  finding: Finding,
  fieldMappings: ReadonlyArray<FieldMapping>,
  metaByFieldId: Readonly<Record<string, JiraFieldMeta | undefined>>,
): MappedCustomFields {
  const result: MappedCustomFields = { fields: {}, cleared: [], errors: [] };
  for (const mapping of fieldMappings) {
    const meta = Object.prototype.hasOwnProperty.call(metaByFieldId, mapping.fieldId)
      ? metaByFieldId[mapping.fieldId]
      : undefined;
    if (!meta) {
      result.errors.push({
        fieldId: mapping.fieldId,
        source: mapping.source,
        message: `Field ${mapping.fieldId} is not on this project's screen`,
      });
      continue;
    }
    const coerced = coerceCustomFieldValue(readFindingSource(finding, mapping.source), meta);
    if (!coerced.ok) result.errors.push({ fieldId: mapping.fieldId, source: mapping.source, message: coerced.error });
    else if (coerced.value === null) result.cleared.push(mapping.fieldId);
    else result.fields[mapping.fieldId] = coerced.value;
  }
  return result;
}
