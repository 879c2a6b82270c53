/**
 * The finding values a field mapping can copy into a Jira field: one list, typed, shared by the
 * config schema, the runtime reader (domain/custom-field.ts), the admin check and the admin page
 * (through src/contracts). Every table keyed by source is a `FieldSourceTable`, so a source added
 * here and forgotten there (or a typo there) fails to compile. Pure and dependency-free: the admin
 * page bundles it.
 */

export const FIELD_SOURCES = [
  'title',
  'severity',
  'status',
  'scanner',
  'cve',
  'cwe',
  'cvss.score',
  'cvss.vector',
  'asset.id',
  'asset.name',
  'remediation',
  'url',
  'references',
  'location.file',
  'location.line',
  'location.url',
  'owner.email',
  'updatedAt',
] as const;
/** A finding value the app knows by name. */
export type KnownFieldSource = (typeof FIELD_SOURCES)[number];
export const ATTRIBUTE_SOURCE_PREFIX = 'attributes.';
/** A platform-defined attribute of the finding (`attributes.<name>`). */
export type AttributeFieldSource = `attributes.${string}`;
export type FieldSource = KnownFieldSource | AttributeFieldSource;

/** One entry per known source, no more, no less (checked by the compiler). */
export type FieldSourceTable<T> = { readonly [S in KnownFieldSource]: T };

/** The shape of a finding value, as far as Jira fields care. */
export type SourceKind = 'text' | 'markdown' | 'number' | 'list' | 'url' | 'datetime' | 'attribute';

const SOURCE_KINDS: FieldSourceTable<SourceKind> = {
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

/** Human names of the finding values, for pickers and messages. */
export const FIELD_SOURCE_LABELS: FieldSourceTable<string> = {
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

export function isAttributeSource(source: string): source is AttributeFieldSource {
  return source.startsWith(ATTRIBUTE_SOURCE_PREFIX);
}

export function isKnownFieldSource(source: string): source is KnownFieldSource {
  return (FIELD_SOURCES as ReadonlyArray<string>).includes(source);
}

export function classifySource(source: FieldSource): SourceKind {
  return isAttributeSource(source) ? 'attribute' : SOURCE_KINDS[source];
}

/** The source's name for people: its label, or the attribute's name. */
export function describeSource(source: FieldSource): string {
  return isAttributeSource(source)
    ? `attribute "${source.slice(ATTRIBUTE_SOURCE_PREFIX.length)}"`
    : FIELD_SOURCE_LABELS[source];
}
