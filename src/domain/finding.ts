import { z } from 'zod';
import { FindingCommentsSchema } from './finding-comment';
import { SEVERITIES, SeveritySchema, type Severity } from './severity';
import { FORBIDDEN_KEYS, SafeUrlSchema, lineText, multilineText } from './text';
import { toValidationIssues, type ValidationIssue } from './validation';

/**
 * A security finding as the platform posts it (README "Ingest contract"), parsed with zod.
 * Unknown keys are dropped (forward compatible); known keys are checked strictly, with limits that
 * keep hostile input (huge strings, 10,000-element arrays, control characters, `__proto__` keys) out.
 */

export const FINDING_STATUSES = [
  'open',
  'in_progress',
  'resolved',
  'false_positive',
  'risk_accepted',
  'reopened',
] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const FindingStatusSchema = z.enum(FINDING_STATUSES);

export const FINDING_LIMITS = {
  id: 200,
  title: 1000,
  description: 20_000,
  remediation: 5_000,
  name: 200,
  scanner: 100,
  file: 1_000,
  vector: 200,
  listItems: 50,
  attributes: 50,
  attributeValue: 1_000,
  findingsPerBatch: 5_000,
} as const;

/** Lower-cases and normalises separators so `"High"`, `"In Progress"` and `"false-positive"` are accepted. */
function normaliseEnumInput(value: unknown): unknown {
  return typeof value === 'string'
    ? value
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_')
    : value;
}

const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  informational: 'info',
  information: 'info',
  none: 'info',
};

const FindingSeveritySchema = z.preprocess(
  (value) => {
    const normalised = normaliseEnumInput(value);
    return typeof normalised === 'string' ? (SEVERITY_ALIASES[normalised] ?? normalised) : normalised;
  },
  z.enum(SEVERITIES, { error: `Must be one of ${SEVERITIES.join(', ')}` }),
);

const FindingStatusInputSchema = z.preprocess(
  normaliseEnumInput,
  z.enum(FINDING_STATUSES, { error: `Must be one of ${FINDING_STATUSES.join(', ')}` }),
);

const CVE_PATTERN = /^CVE-\d{4}-\d{4,19}$/;
export const CveSchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .refine((value) => CVE_PATTERN.test(value), 'Must be a CVE id like CVE-2021-44228');

export const CweSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const match = /^(?:CWE-?)?0*(\d{1,6})$/i.exec(String(value).trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: 'Must be a CWE id like CWE-79 (or the number 79)' });
    return z.NEVER;
  }
  return `CWE-${match[1]}`;
});

function boundedList<T extends z.ZodTypeAny>(item: T, label: string) {
  return z
    .array(item)
    .max(FINDING_LIMITS.listItems, `Must have at most ${FINDING_LIMITS.listItems} ${label}`)
    .transform((items) => [...new Set(items as unknown[])] as z.output<T>[]);
}

const AssetSchema = z
  .object({ id: lineText(FINDING_LIMITS.name), name: lineText(FINDING_LIMITS.name).optional() })
  .transform((asset) => ({ id: asset.id, name: asset.name ?? asset.id }));

const CvssSchema = z.object({
  score: z.number().min(0, 'Must be between 0 and 10').max(10, 'Must be between 0 and 10'),
  vector: lineText(FINDING_LIMITS.vector).optional(),
});

const LocationSchema = z.object({
  file: lineText(FINDING_LIMITS.file).optional(),
  // SARIF only asks for an integer ≥ 1 (a generated file may have 20,000,000 lines); past 2^53 a line is not exact.
  line: z
    .number()
    .int('Must be a whole number')
    .min(1, 'Must be 1 or more')
    .max(Number.MAX_SAFE_INTEGER, 'Must be at most 9007199254740991')
    .optional(),
  url: SafeUrlSchema.optional(),
});

const OwnerSchema = z
  .object({
    email: z.email('Must be an email address').max(254).optional(),
    accountId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9:_-]{1,128}$/, 'Must be an Atlassian account id (letters, digits, ":", "_", "-")')
      .optional(),
  })
  .refine((owner) => owner.email !== undefined || owner.accountId !== undefined, 'Must have an email or an accountId');

const ATTRIBUTE_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const AttributeMapSchema = z
  .record(z.string(), z.union([lineText(FINDING_LIMITS.attributeValue), z.number().finite()]))
  .superRefine((attributes, ctx) => {
    const keys = Object.keys(attributes);
    if (keys.length > FINDING_LIMITS.attributes) {
      ctx.addIssue({ code: 'custom', message: `Must have at most ${FINDING_LIMITS.attributes} attributes` });
    }
    for (const key of keys) {
      if (!ATTRIBUTE_KEY.test(key) || FORBIDDEN_KEYS.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            'Attribute names must be 1-64 characters of letters, digits, "_", "." or "-" and not a reserved name',
        });
      }
    }
  });

/** zod drops `__proto__` keys silently; refuse them (and other reserved names) explicitly instead. */
const AttributesSchema = z
  .unknown()
  .superRefine((raw, ctx) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
    for (const key of Object.keys(raw)) {
      if (FORBIDDEN_KEYS.has(key))
        ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is a reserved name` });
    }
  })
  .pipe(AttributeMapSchema);

export const FindingSchema = z.object({
  id: lineText(FINDING_LIMITS.id),
  title: lineText(FINDING_LIMITS.title),
  description: multilineText(FINDING_LIMITS.description).optional(),
  severity: FindingSeveritySchema,
  status: FindingStatusInputSchema.default('open'),
  asset: AssetSchema.optional(),
  cve: boundedList(CveSchema, 'CVE ids').default([]),
  cwe: boundedList(CweSchema, 'CWE ids').default([]),
  cvss: CvssSchema.optional(),
  scanner: lineText(FINDING_LIMITS.scanner).optional(),
  remediation: multilineText(FINDING_LIMITS.remediation).optional(),
  references: boundedList(SafeUrlSchema, 'references').default([]),
  location: LocationSchema.optional(),
  owner: OwnerSchema.optional(),
  url: SafeUrlSchema.optional(),
  updatedAt: z.iso
    .datetime({ offset: true, error: 'Must be an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z' })
    .optional(),
  attributes: AttributesSchema.default({}),
  /** The platform's conversation about the finding (finding-comment.ts); absent: comments are not synced. */
  comments: FindingCommentsSchema.optional(),
});

/** A parsed, normalised finding (CVE upper-cased, CWE as `CWE-<n>`, lists de-duplicated). */
export type Finding = z.output<typeof FindingSchema>;
/** What a platform may send (before defaults and normalisation). */
export type FindingInput = z.input<typeof FindingSchema>;
export type { Severity };
export { SeveritySchema };

export const IngestBatchSchema = z.object({
  source: lineText(100),
  findings: z
    .array(z.unknown())
    .max(FINDING_LIMITS.findingsPerBatch, `Must have at most ${FINDING_LIMITS.findingsPerBatch} findings per batch`),
});
export type IngestBatch = z.output<typeof IngestBatchSchema>;

/** `path`: where the rejected item is in the body, for SARIF results (`runs[0].results[17]`). */
export type RejectedFinding = { index: number; id?: string; path?: string; errors: ValidationIssue[] };
export type DuplicateFinding = { index: number; id: string };

export type ParsedFindings = {
  ok: true;
  /** The batch's `source`, absent for a single finding. */
  source?: string;
  /** Valid findings, one per id (within a batch the newest `updatedAt` wins; ties go to the later one). */
  accepted: Finding[];
  /** Invalid findings with their position in the input and precise errors. */
  rejected: RejectedFinding[];
  /** Valid findings superseded by another finding with the same id in the same batch. */
  duplicates: DuplicateFinding[];
};
export type ParseFindingsResult = ParsedFindings | { ok: false; errors: ValidationIssue[] };

function readCandidateId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= FINDING_LIMITS.id ? id : undefined;
}

function isNewer(candidate: Finding, current: Finding): boolean {
  if (candidate.updatedAt === undefined || current.updatedAt === undefined) return true;
  return Date.parse(candidate.updatedAt) >= Date.parse(current.updatedAt);
}

/** Parses a list of untrusted findings one by one, so one bad finding never blocks the others. */
export function parseFindingList(items: ReadonlyArray<unknown>): Omit<ParsedFindings, 'ok' | 'source'> {
  const rejected: RejectedFinding[] = [];
  const duplicates: DuplicateFinding[] = [];
  const byId = new Map<string, { index: number; finding: Finding }>();
  items.forEach((item, index) => {
    const result = FindingSchema.safeParse(item);
    if (!result.success) {
      const id = readCandidateId(item);
      rejected.push({ index, ...(id !== undefined ? { id } : {}), errors: toValidationIssues(result.error) });
      return;
    }
    const finding = result.data;
    const existing = byId.get(finding.id);
    if (existing === undefined) {
      byId.set(finding.id, { index, finding });
    } else if (isNewer(finding, existing.finding)) {
      duplicates.push({ index: existing.index, id: finding.id });
      byId.set(finding.id, { index, finding });
    } else {
      duplicates.push({ index, id: finding.id });
    }
  });
  const accepted = [...byId.values()].sort((a, b) => a.index - b.index).map((entry) => entry.finding);
  duplicates.sort((a, b) => a.index - b.index);
  return { accepted, rejected, duplicates };
}

/**
 * Parses an ingest body that is already JSON-decoded: a batch `{source, findings: [...]}` or a
 * single finding object. `ok: false` only when the envelope itself is unusable.
 */
export function parseFindings(input: unknown): ParseFindingsResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ path: '', message: 'Expected a JSON object: a batch {source, findings: [...]} or a single finding' }],
    };
  }
  if ('findings' in input) {
    const batch = IngestBatchSchema.safeParse(input);
    if (!batch.success) return { ok: false, errors: toValidationIssues(batch.error) };
    return { ok: true, source: batch.data.source, ...parseFindingList(batch.data.findings) };
  }
  return { ok: true, ...parseFindingList([input]) };
}
