import { z } from 'zod';
import { stripUnsafeCharacters } from './text';

/**
 * The parts of a SARIF 2.1.0 log the app reads, as zod schemas, read by the robustness principle:
 *
 * - The log (`version`, `runs`) and each run's `tool.driver.name` must be right, or the body is not a
 *   SARIF log this app can read: only then is the whole log refused.
 * - A result is read on its own (`readSarifResult`): what the app truly needs from it (`ruleId`,
 *   `kind`, `level`, the primary location's file, line and column) must have the right type, or that
 *   result alone is rejected, with the JSON path of the bad value.
 * - Everything read opportunistically (fingerprints, guids, properties, tags, rules and their texts,
 *   message parts, fixes, suppressions, artifacts, provenance, invocations, logical locations) is
 *   dropped when its type is wrong, never fatal; what the app does not read (code flows, related
 *   locations, taxonomies, …) is not looked at.
 *
 * See domain/sarif.ts for how results become findings.
 */

export const SARIF_VERSION = '2.1.0';
export const SARIF_LIMITS = { runs: 100, results: 10_000, rules: 20_000 } as const;

export const SARIF_LEVELS = ['none', 'note', 'warning', 'error'] as const;
/** SARIF §3.27.9; a result without `kind` is a `fail`. */
export const SARIF_KINDS = ['fail', 'open', 'review', 'informational', 'pass', 'notApplicable'] as const;
export type SarifLevel = (typeof SARIF_LEVELS)[number];
export type SarifKind = (typeof SARIF_KINDS)[number];

/** An opportunistic value: the schema's output, or undefined when it is absent or of another shape. */
function lenient<T extends z.ZodType>(schema: T) {
  return z
    .unknown()
    .transform((value): z.output<T> | undefined => {
      const parsed = schema.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    })
    .optional();
}

/** An opportunistic array: a bad item becomes undefined in its place, so indices keep their meaning. */
function lenientArray<T extends z.ZodType>(item: T, max: number = SARIF_LIMITS.results) {
  return z
    .unknown()
    .transform((value): Array<z.output<T> | undefined> | undefined => {
      if (!Array.isArray(value)) return undefined;
      return value.slice(0, max).map((entry) => {
        const parsed = item.safeParse(entry);
        return parsed.success ? parsed.data : undefined;
      });
    })
    .optional();
}

/** An opportunistic string-keyed map: entries whose value does not fit are left out. */
function lenientRecord<T extends z.ZodType>(value: T) {
  return z
    .unknown()
    .transform((raw): Record<string, z.output<T>> | undefined => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
      const out: Record<string, z.output<T>> = {};
      for (const [key, entry] of Object.entries(raw)) {
        const parsed = value.safeParse(entry);
        if (parsed.success) Object.defineProperty(out, key, { value: parsed.data, enumerable: true, writable: true });
      }
      return out;
    })
    .optional();
}

/** A value the app needs: absent or null is "not given", any other shape is an error. */
function needed<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}

const text = lenient(z.string());
const index = lenient(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));

const MessageSchema = z.object({
  text,
  markdown: text,
  id: text,
  arguments: lenientArray(z.union([z.string(), z.number().transform(String), z.boolean().transform(String)])),
});
const MultiformatMessageSchema = z.object({ text, markdown: text });

const PropertyBagSchema = z.looseObject({ tags: lenientArray(z.string()) });

const ReportingDescriptorSchema = z.object({
  id: z.string(),
  name: text,
  shortDescription: lenient(MultiformatMessageSchema),
  fullDescription: lenient(MultiformatMessageSchema),
  help: lenient(MultiformatMessageSchema),
  helpUri: text,
  messageStrings: lenientRecord(MultiformatMessageSchema),
  defaultConfiguration: lenient(z.object({ level: lenient(z.enum(SARIF_LEVELS)) })),
  properties: lenient(PropertyBagSchema),
});

const ToolComponentFields = {
  version: text,
  semanticVersion: text,
  rules: lenientArray(ReportingDescriptorSchema, SARIF_LIMITS.rules),
  globalMessageStrings: lenientRecord(MultiformatMessageSchema),
};

const ArtifactLocationSchema = z.object({ uri: text, index });

const RunSchema = z.object({
  tool: z.object({
    driver: z.object({
      name: z
        .string({ error: 'Required: the tool component name' })
        .refine((name) => stripUnsafeCharacters(name, false).trim() !== '', 'Required: the tool component name'),
      ...ToolComponentFields,
    }),
    extensions: lenientArray(z.object({ name: text, ...ToolComponentFields })),
  }),
  results: z
    .array(z.unknown(), { error: 'Must be an array of results' })
    .max(SARIF_LIMITS.results)
    .nullable()
    .optional(),
  artifacts: lenientArray(z.object({ location: lenient(ArtifactLocationSchema) })),
  versionControlProvenance: lenientArray(z.object({ repositoryUri: z.string() })),
  invocations: lenientArray(z.object({ startTimeUtc: text, endTimeUtc: text })),
  /** §3.17.4 "category/run id": the category is part of a complete scan's scope. */
  automationDetails: lenient(z.object({ id: text })),
});

/** The log as far as the app needs it to be right; each result is read later, on its own. */
export const SarifLogSchema = z
  .object({
    version: z.literal(SARIF_VERSION, {
      error: (issue) => `Unsupported SARIF version ${JSON.stringify(issue.input)}: expected "2.1.0"`,
    }),
    runs: z.array(RunSchema).max(SARIF_LIMITS.runs, `Must have at most ${SARIF_LIMITS.runs} runs`).nullable(),
  })
  .superRefine((log, ctx) => {
    const total = (log.runs ?? []).reduce((sum, run) => sum + (run.results?.length ?? 0), 0);
    if (total > SARIF_LIMITS.results) {
      ctx.addIssue({
        code: 'custom',
        path: ['runs'],
        message: `Must have at most ${SARIF_LIMITS.results} results in all runs`,
      });
    }
  });

/**
 * A line or column: SARIF asks for an integer ≥ 1; a value below 1 (some tools write 0 for "the
 * whole file") means "no line", a fraction or a number past 2^53 (not exact) is an error.
 */
const Position = z.number({ error: 'Must be a number' }).superRefine((value, ctx) => {
  if (Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER)
    ctx.addIssue({ code: 'custom', message: 'Must be at most 9007199254740991' });
  else if (!Number.isInteger(value)) ctx.addIssue({ code: 'custom', message: 'Must be a whole number' });
});

const LocationSchema = z.object(
  {
    physicalLocation: needed(
      z.object(
        {
          artifactLocation: needed(
            z.object({ uri: needed(z.string({ error: 'Must be a string' })), index }, { error: 'Must be an object' }),
          ),
          region: needed(
            z.object({ startLine: needed(Position), startColumn: needed(Position) }, { error: 'Must be an object' }),
          ),
        },
        { error: 'Must be an object' },
      ),
    ),
    logicalLocations: lenientArray(z.object({ fullyQualifiedName: text, name: text })),
  },
  { error: 'Must be an object' },
);

const ResultSchema = z.object(
  {
    ruleId: needed(z.string({ error: 'Must be a string' })),
    ruleIndex: index,
    rule: lenient(z.object({ id: text, index, toolComponent: lenient(z.object({ index, name: text })) })),
    kind: needed(z.enum(SARIF_KINDS)),
    level: needed(z.enum(SARIF_LEVELS)),
    message: lenient(MessageSchema),
    locations: needed(z.array(z.unknown(), { error: 'Must be an array of locations' })),
    guid: text,
    correlationGuid: text,
    fingerprints: lenientRecord(z.string()),
    partialFingerprints: lenientRecord(z.string()),
    // A status other than `accepted` (or none) keeps the result visible, whatever it says.
    suppressions: lenientArray(z.object({ status: z.unknown().optional() })),
    // Only `absent` matters here; drafts of the spec used other values (appendix K says "existing").
    baselineState: text,
    fixes: lenientArray(z.object({ description: lenient(MessageSchema) })),
    properties: lenient(PropertyBagSchema),
  },
  { error: 'Must be an object' },
);

export type SarifLog = z.output<typeof SarifLogSchema>;
export type SarifRun = z.output<typeof RunSchema>;
export type SarifRule = z.output<typeof ReportingDescriptorSchema>;
export type SarifMessage = z.output<typeof MessageSchema>;
export type SarifLocation = z.output<typeof LocationSchema>;
/** A result as read: `primary` is its primary location (the first physical one, else the first). */
export type SarifResult = Omit<z.output<typeof ResultSchema>, 'locations'> & { primary?: SarifLocation };

export type ReadIssue = { path: ReadonlyArray<PropertyKey>; message: string };

/** Reads one result on its own; errors carry paths relative to the result. */
export function readSarifResult(raw: unknown): { ok: true; result: SarifResult } | { ok: false; issues: ReadIssue[] } {
  const parsed = ResultSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const { locations, ...result } = parsed.data;
  if (locations === undefined || locations.length === 0) return { ok: true, result };
  const physical = locations.findIndex(
    (l) => l !== null && typeof l === 'object' && (l as Record<string, unknown>)['physicalLocation'] != null,
  );
  const at = physical >= 0 ? physical : 0;
  const primary = LocationSchema.safeParse(locations[at]);
  if (!primary.success) {
    return { ok: false, issues: primary.error.issues.map((i) => ({ ...i, path: ['locations', at, ...i.path] })) };
  }
  return { ok: true, result: { ...result, primary: primary.data } };
}
