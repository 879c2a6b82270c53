import { z } from 'zod';
import { FIELD_SOURCES, isKnownFieldSource, type FieldSource } from './field-sources';
import {
  AutoCreatePolicySchema,
  DEFAULT_MAPPING_ID,
  DefaultMappingSchema,
  ProjectMappingSchema,
} from './config-mappings';
import { CommentPolicySchema } from './config-comments';
import { PlatformCallbackConfigSchema } from './config-platform';
import { GlobalJiraStatusMapSchema, GlobalStatusMapSchema } from './config-status-maps';
import { JiraNameSchema } from './config-values';
import type { Severity } from './severity';
import { toValidationIssues, type ValidationIssue } from './validation';

/**
 * The sync configuration: one versioned document (stored by others in KVS, edited on the admin
 * page) with a default for every setting, so `{}` is a valid configuration.
 *
 * Finding status → Jira is by status *category* by default (never by status name), because names
 * differ between workflows: resolved → a done status with resolution "Done"; false_positive and
 * risk_accepted → a done status with resolution "Won't Do"; reopened → a to-do (`new`) status;
 * open / in_progress → no transition (Jira's own workflow decides). Jira → finding status is by
 * category (new → open, indeterminate → in_progress, done → resolved), overridable by rules per
 * status and resolution, globally and per project mapping.
 *
 * Parts: config-values.ts (ids, names, keys), config-status-maps.ts, config-mappings.ts (routing
 * targets), config-platform.ts (callbacks); this module holds the document and re-exports them.
 */

export const CONFIG_VERSION = 1;

export const OWNED_FIELDS = [
  'summary',
  'description',
  'labels',
  'priority',
  'assignee',
  'dueDate',
  'customFields',
] as const;
/** A Jira field group whose value the app maintains; see `ownership`. */
export type OwnedField = (typeof OWNED_FIELDS)[number];
export const DEFAULT_PLATFORM_OWNED: ReadonlyArray<OwnedField> = ['summary', 'description', 'labels', 'customFields'];

const DEFAULT_PRIORITIES: Readonly<Record<Severity, string>> = {
  critical: 'Highest',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Lowest',
};

export const PriorityMapSchema = z.object({
  critical: JiraNameSchema.default(DEFAULT_PRIORITIES.critical),
  high: JiraNameSchema.default(DEFAULT_PRIORITIES.high),
  medium: JiraNameSchema.default(DEFAULT_PRIORITIES.medium),
  low: JiraNameSchema.default(DEFAULT_PRIORITIES.low),
  info: JiraNameSchema.default(DEFAULT_PRIORITIES.info),
});
export type PriorityMap = z.output<typeof PriorityMapSchema>;

const SlaDaysValueSchema = z.number().int('Must be a whole number of days').min(1, 'Must be at least 1 day').max(3650);
export const SlaDaysSchema = z.object({
  critical: SlaDaysValueSchema.optional(),
  high: SlaDaysValueSchema.optional(),
  medium: SlaDaysValueSchema.optional(),
  low: SlaDaysValueSchema.optional(),
  info: SlaDaysValueSchema.optional(),
});
export type SlaDays = z.output<typeof SlaDaysSchema>;

const ATTRIBUTE_SOURCE = /^attributes\.[A-Za-z0-9_.-]{1,64}$/;
export const FieldSourceSchema = z
  .string()
  .refine(
    (source) => isKnownFieldSource(source) || ATTRIBUTE_SOURCE.test(source),
    `Must be one of ${FIELD_SOURCES.join(', ')} or attributes.<name>`,
  )
  .transform((source) => source as FieldSource);

export const FieldMappingSchema = z.object({
  source: FieldSourceSchema,
  fieldId: z
    .string()
    .trim()
    .regex(/^(customfield_\d{1,10}|environment)$/, 'Must be a custom field id like customfield_10042 (or environment)'),
});
export type FieldMapping = z.output<typeof FieldMappingSchema>;

export const OwnershipSchema = z.object({
  /** Fields the platform keeps overwriting after creation; the others are Jira's once the issue exists. */
  platformOwned: z
    .array(z.enum(OWNED_FIELDS))
    .default(() => [...DEFAULT_PLATFORM_OWNED])
    .transform((fields) => [...new Set(fields)]),
});

export const SyncConfigSchema = z
  .object({
    version: z
      .literal(CONFIG_VERSION, { error: `Unsupported config version: expected ${CONFIG_VERSION}` })
      .default(CONFIG_VERSION),
    priorityMap: PriorityMapSchema.prefault({}),
    autoCreate: AutoCreatePolicySchema.default(() => ({ mode: 'all' as const })),
    slaDays: SlaDaysSchema.prefault({}),
    statusMap: GlobalStatusMapSchema.prefault({}),
    jiraStatusMap: GlobalJiraStatusMapSchema.prefault({}),
    mappings: z.array(ProjectMappingSchema).max(200, 'Must have at most 200 project mappings').default([]),
    defaultMapping: DefaultMappingSchema.optional(),
    fieldMappings: z.array(FieldMappingSchema).max(100, 'Must have at most 100 field mappings').default([]),
    ownership: OwnershipSchema.prefault({}),
    /** What a later update of a finding whose issue was deleted in Jira does. */
    onDeletedIssue: z.enum(['ignore', 'recreate']).default('ignore'),
    /** Callbacks to the platform (Jira → platform); absent: defaults, no base URL yet. */
    platform: PlatformCallbackConfigSchema.optional(),
    /** Comment sync both ways (config-comments.ts). */
    comments: CommentPolicySchema.prefault({}),
    /**
     * Complete scans (README "Complete scans"): one that would close more than `maxCloseShare` of its
     * scope's open findings is held for an admin. Absent: 0.5.
     */
    completeScans: z
      .object({ maxCloseShare: z.number().min(0, 'Must be 0 to 1').max(1, 'Must be 0 to 1').default(0.5) })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.mappings.forEach((mapping, index) => {
      if (mapping.id === DEFAULT_MAPPING_ID) {
        ctx.addIssue({
          code: 'custom',
          path: ['mappings', index, 'id'],
          message: `"${DEFAULT_MAPPING_ID}" is reserved for the default mapping`,
        });
      } else if (seen.has(mapping.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['mappings', index, 'id'],
          message: `Duplicate mapping id "${mapping.id}"`,
        });
      }
      seen.add(mapping.id);
    });
    const fields = new Set<string>();
    config.fieldMappings.forEach((mapping, index) => {
      if (fields.has(mapping.fieldId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fieldMappings', index, 'fieldId'],
          message: `${mapping.fieldId} is mapped twice`,
        });
      }
      fields.add(mapping.fieldId);
    });
  });

export type SyncConfig = z.output<typeof SyncConfigSchema>;
export type SyncConfigInput = z.input<typeof SyncConfigSchema>;

/** The configuration a fresh installation starts with (no project mapping: nothing is routed yet). */
export function defaultSyncConfig(): SyncConfig {
  return SyncConfigSchema.parse({});
}

export type ParseSyncConfigResult = { ok: true; config: SyncConfig } | { ok: false; errors: ValidationIssue[] };

/** Validates an untrusted configuration document (from KVS, the admin page or a test). */
export function parseSyncConfig(input: unknown): ParseSyncConfigResult {
  const result = SyncConfigSchema.safeParse(input);
  return result.success ? { ok: true, config: result.data } : { ok: false, errors: toValidationIssues(result.error) };
}

export * from './config-mappings';
export * from './config-platform';
export * from './config-status-maps';
