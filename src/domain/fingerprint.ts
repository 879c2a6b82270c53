import type { OwnedField } from './config';
import { FIELD_SOURCES, type FieldSource } from './field-sources';
import { readFindingSource } from './custom-field';
import type { Finding } from './finding';
import { hashValue } from './hash';
import { renderSummary } from './summary';

/**
 * A fingerprint of what the platform owns about a finding, per Jira field group, so an update
 * edits only the groups that changed and an unchanged finding costs no Jira write. `status` is
 * always included (it drives transitions, not edits); `id` and `updatedAt` are not (a re-post with
 * a newer timestamp but the same content is unchanged).
 */
export type FingerprintPart = OwnedField | 'status';
export type FindingFingerprint = { value: string; parts: Partial<Record<FingerprintPart, string>> };

const FINGERPRINT_VERSION = 'v1';

/** The finding data each field group is built from (keep in sync with the mapping functions). */
type PartContext = { sources: ReadonlyArray<FieldSource>; summaryTemplate: string | undefined };
const PART_INPUTS: Readonly<Record<OwnedField, (finding: Finding, context: PartContext) => unknown>> = {
  summary: (f, context) => renderSummary(f, context.summaryTemplate),
  description: (f) => ({
    description: f.description ?? null,
    remediation: f.remediation ?? null,
    references: f.references,
    location: f.location ?? null,
    cvss: f.cvss ?? null,
    cve: f.cve,
    cwe: f.cwe,
    url: f.url ?? null,
    scanner: f.scanner ?? null,
    asset: f.asset ?? null,
    severity: f.severity,
  }),
  labels: (f) => ({ severity: f.severity, scanner: f.scanner ?? null }),
  priority: (f) => f.severity,
  assignee: (f) => f.owner ?? null,
  dueDate: (f) => f.severity,
  customFields: (f, { sources }) => sources.map((source) => [source, readFindingSource(f, source) ?? null]),
};

/** Every source except `updatedAt`, which changes on every re-post. */
const DEFAULT_SOURCES: ReadonlyArray<FieldSource> = FIELD_SOURCES.filter((source) => source !== 'updatedAt');

/**
 * Fingerprints the platform-owned field groups of a finding. Pass the mapped `fieldSources`
 * (from `config.fieldMappings`) so `customFields` covers exactly them; without it, every finding
 * field and attribute except `updatedAt` counts. The summary part is the summary itself, under the
 * mapping's `summaryTemplate`, so a new template edits the summaries of the findings it changes.
 */
export function computeFingerprint(
  finding: Finding,
  ownedFields: ReadonlyArray<OwnedField>,
  fieldSources?: ReadonlyArray<FieldSource>,
  summaryTemplate?: string,
): FindingFingerprint {
  const sources = fieldSources
    ? [...new Set(fieldSources)].sort()
    : [
        ...DEFAULT_SOURCES,
        ...Object.keys(finding.attributes)
          .sort()
          .map((key) => `attributes.${key}` as const),
      ];
  const parts: Partial<Record<FingerprintPart, string>> = { status: hashValue(finding.status).slice(0, 24) };
  for (const field of [...new Set(ownedFields)].sort()) {
    parts[field] = hashValue(PART_INPUTS[field](finding, { sources, summaryTemplate })).slice(0, 24);
  }
  return { value: `${FINGERPRINT_VERSION}:${hashValue(parts).slice(0, 32)}`, parts };
}

/** The field groups whose fingerprint differs (every part of `next` when there is no previous one). */
export function diffFingerprints(
  previous: FindingFingerprint | undefined,
  next: FindingFingerprint,
): FingerprintPart[] {
  const keys = Object.keys(next.parts) as FingerprintPart[];
  if (!previous || !previous.value.startsWith(`${FINGERPRINT_VERSION}:`)) return keys;
  return keys.filter((key) => previous.parts[key] !== next.parts[key]);
}
