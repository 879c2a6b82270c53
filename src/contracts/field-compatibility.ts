/**
 * Which Jira fields can hold which finding value: the admin page offers only compatible fields and
 * the resolver refuses an incompatible mapping on save. Whether and how a field is written at all
 * is the sync's own judgement (src/domain/field-kinds.ts), re-exported here so static/admin reaches
 * it through the contract; this module adds which value shapes each kind of field can take.
 */
import {
  classifyJiraField,
  describeUnmappableField,
  type FieldClassification,
  type JiraFieldKind,
  type JiraFieldSchema,
} from '../domain/field-kinds';
import {
  classifySource,
  describeSource,
  FIELD_SOURCE_LABELS,
  isKnownFieldSource,
  type FieldSource,
  type SourceKind,
} from '../domain/field-sources';

export {
  classifyJiraField,
  FIELD_SOURCE_LABELS,
  isKnownFieldSource,
  type FieldClassification,
  type JiraFieldKind,
  type SourceKind,
};
export type { FieldSource, KnownFieldSource } from '../domain/field-sources';
/** Jira's `schema` of a field. */
export type FieldSchemaLike = JiraFieldSchema;

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

/** Which value shapes a field of each kind takes (the runtime coerces these; see domain/custom-field.ts). */
export const ACCEPTED_SOURCE_KINDS: Readonly<Record<JiraFieldKind, ReadonlyArray<SourceKind>>> = {
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
  source: FieldSource,
  field: { name: string; schema?: JiraFieldSchema },
): FieldCompatibility {
  const classification = classifyJiraField(field.schema);
  if (!classification.mappable)
    return { ok: false, reason: describeUnmappableField(`"${field.name}"`, classification) };
  const sourceKind = classifySource(source);
  if (!ACCEPTED_SOURCE_KINDS[classification.kind].includes(sourceKind)) {
    return {
      ok: false,
      reason:
        `"${field.name}" is ${KIND_LABELS[classification.kind]}; ` +
        `it cannot hold ${SOURCE_KIND_LABELS[sourceKind]} (${describeSource(source)})`,
    };
  }
  return { ok: true, kind: classification.kind };
}
