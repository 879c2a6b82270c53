import { z } from 'zod';

/**
 * The parts of a SARIF 2.1.0 log the app reads, as zod schemas (other properties are allowed and
 * ignored), with the size limits a log must respect. See domain/sarif.ts for how results become findings.
 */

export const SARIF_VERSION = '2.1.0';
export const SARIF_LIMITS = { runs: 100, results: 10_000, rules: 20_000 } as const;

const MessageSchema = z.object({
  text: z.string().optional(),
  markdown: z.string().optional(),
  id: z.string().optional(),
  arguments: z.array(z.string()).optional(),
});

const MultiformatMessageSchema = z.object({ text: z.string().optional(), markdown: z.string().optional() });

const PropertyBagSchema = z.looseObject({ tags: z.array(z.string()).optional() });

const ReportingDescriptorSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  shortDescription: MultiformatMessageSchema.optional(),
  fullDescription: MultiformatMessageSchema.optional(),
  help: MultiformatMessageSchema.optional(),
  helpUri: z.string().optional(),
  messageStrings: z.record(z.string(), MultiformatMessageSchema).optional(),
  defaultConfiguration: z
    .object({ level: z.enum(['none', 'note', 'warning', 'error']).optional(), enabled: z.boolean().optional() })
    .optional(),
  properties: PropertyBagSchema.optional(),
});

const ToolComponentSchema = z.object({
  name: z.string({ error: 'Required: the tool component name' }).min(1),
  version: z.string().optional(),
  semanticVersion: z.string().optional(),
  rules: z.array(ReportingDescriptorSchema).max(SARIF_LIMITS.rules).optional(),
  globalMessageStrings: z.record(z.string(), MultiformatMessageSchema).optional(),
});

const ArtifactLocationSchema = z.object({
  uri: z.string().optional(),
  uriBaseId: z.string().optional(),
  index: z.number().int().optional(),
});

const LocationSchema = z.object({
  physicalLocation: z
    .object({
      artifactLocation: ArtifactLocationSchema.optional(),
      region: z.object({ startLine: z.number().int().optional(), startColumn: z.number().int().optional() }).optional(),
    })
    .optional(),
  logicalLocations: z
    .array(z.object({ fullyQualifiedName: z.string().optional(), name: z.string().optional() }))
    .optional(),
});

const ResultSchema = z.object({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().optional(),
  rule: z
    .object({
      id: z.string().optional(),
      index: z.number().int().optional(),
      toolComponent: z.object({ index: z.number().int().optional(), name: z.string().optional() }).optional(),
    })
    .optional(),
  kind: z.enum(['notApplicable', 'pass', 'fail', 'review', 'open', 'informational']).optional(),
  level: z.enum(['none', 'note', 'warning', 'error']).optional(),
  message: MessageSchema,
  locations: z.array(LocationSchema).optional(),
  guid: z.string().optional(),
  correlationGuid: z.string().optional(),
  fingerprints: z.record(z.string(), z.string()).optional(),
  partialFingerprints: z.record(z.string(), z.string()).optional(),
  suppressions: z
    .array(
      z.object({ kind: z.string().optional(), status: z.enum(['accepted', 'underReview', 'rejected']).optional() }),
    )
    .optional(),
  // Only `absent` matters here; drafts of the spec used other values (appendix K says "existing").
  baselineState: z.string().optional(),
  fixes: z.array(z.object({ description: MessageSchema.optional() })).optional(),
  properties: PropertyBagSchema.optional(),
});

const RunSchema = z.object({
  tool: z.object({
    driver: ToolComponentSchema,
    extensions: z.array(ToolComponentSchema).optional(),
  }),
  results: z.array(ResultSchema).max(SARIF_LIMITS.results).nullable().optional(),
  artifacts: z.array(z.object({ location: ArtifactLocationSchema.optional() })).optional(),
  versionControlProvenance: z.array(z.object({ repositoryUri: z.string() })).optional(),
  invocations: z.array(z.object({ startTimeUtc: z.string().optional(), endTimeUtc: z.string().optional() })).optional(),
});

/** The parts of a SARIF 2.1.0 log this app reads (other properties are allowed and ignored). */
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

export type SarifLog = z.output<typeof SarifLogSchema>;
export type SarifRun = z.output<typeof RunSchema>;
export type SarifResult = z.output<typeof ResultSchema>;
export type SarifRule = z.output<typeof ReportingDescriptorSchema>;
export type SarifLevel = 'none' | 'note' | 'warning' | 'error';
