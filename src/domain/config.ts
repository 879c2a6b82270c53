import { z } from 'zod';
import { FIELD_SOURCES, isKnownFieldSource, type FieldSource } from './field-sources';
import { FINDING_STATUSES, FindingStatusSchema, type FindingStatus } from './finding';
import { SEVERITIES, SeveritySchema, type Severity } from './severity';
import { parseSummaryTemplate } from './summary';
import { lineText } from './text';
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

export const STATUS_CATEGORY_KEYS = ['new', 'indeterminate', 'done'] as const;
export type StatusCategoryKey = (typeof STATUS_CATEGORY_KEYS)[number];

const JiraNameSchema = lineText(255);
const JiraIdSchema = z
  .string()
  .trim()
  .regex(/^\d{1,18}$/, 'Must be a numeric Jira id');
const AccountIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9:_-]{1,128}$/, 'Must be an Atlassian account id (letters, digits, ":", "_", "-")');
const ProjectKeySchema = z
  .string()
  .trim()
  .regex(
    /^[A-Z][A-Z0-9_]{1,254}$/,
    'Must be a Jira project key: an upper-case letter, then upper-case letters, digits or "_"',
  );
const LabelSchema = lineText(255).refine((label) => !/\s/.test(label), 'Labels cannot contain spaces');
const MappingIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'Must be 1-64 lower-case letters, digits, "_" or "-"');

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

export const AutoCreatePolicySchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('all') }),
    z.object({ mode: z.literal('none') }),
    z.object({
      mode: z.literal('severities'),
      severities: z
        .array(SeveritySchema)
        .min(1, 'Choose at least one severity (or use mode "none")')
        .max(SEVERITIES.length)
        .transform((list) => [...new Set(list)]),
    }),
  ],
  { error: 'Must be {mode: "all"}, {mode: "none"} or {mode: "severities", severities: [...]}' },
);
export type AutoCreatePolicy = z.output<typeof AutoCreatePolicySchema>;

const SlaDaysValueSchema = z.number().int('Must be a whole number of days').min(1, 'Must be at least 1 day').max(3650);
export const SlaDaysSchema = z.object({
  critical: SlaDaysValueSchema.optional(),
  high: SlaDaysValueSchema.optional(),
  medium: SlaDaysValueSchema.optional(),
  low: SlaDaysValueSchema.optional(),
  info: SlaDaysValueSchema.optional(),
});
export type SlaDays = z.output<typeof SlaDaysSchema>;

/** Where a finding status sends the Jira issue: a status (by id or name) or any status of a category. */
export const StatusTargetSchema = z
  .object({
    statusId: JiraIdSchema.optional(),
    statusName: JiraNameSchema.optional(),
    statusCategory: z.enum(STATUS_CATEGORY_KEYS).optional(),
    /** Set on the transition when its screen has a resolution field (required ones must be filled). */
    resolutionName: JiraNameSchema.optional(),
  })
  .refine(
    (target) => target.statusId !== undefined || target.statusName !== undefined || target.statusCategory !== undefined,
    'Set statusId, statusName or statusCategory',
  );
export type StatusTarget = z.output<typeof StatusTargetSchema>;

/** Per finding status: a target, `null` for "do not transition", absent for "use the global setting". */
const statusMapShape = Object.fromEntries(
  FINDING_STATUSES.map((status) => [status, StatusTargetSchema.nullable().optional()]),
) as Record<FindingStatus, z.ZodOptional<z.ZodNullable<typeof StatusTargetSchema>>>;
export const FindingStatusMapSchema = z.object(statusMapShape);
export type FindingStatusMap = z.output<typeof FindingStatusMapSchema>;

function defaultStatusMap(): Record<FindingStatus, StatusTarget | null> {
  return {
    open: null,
    in_progress: null,
    resolved: { statusCategory: 'done', resolutionName: 'Done' },
    false_positive: { statusCategory: 'done', resolutionName: "Won't Do" },
    risk_accepted: { statusCategory: 'done', resolutionName: "Won't Do" },
    reopened: { statusCategory: 'new' },
  };
}

const GlobalStatusMapSchema = FindingStatusMapSchema.transform((map) => ({
  ...defaultStatusMap(),
  ...stripUndefined(map),
}));

/** A Jira status (by id or name) and/or resolution → finding status. */
export const JiraStatusRuleSchema = z
  .object({
    statusId: JiraIdSchema.optional(),
    statusName: JiraNameSchema.optional(),
    resolutionName: JiraNameSchema.optional(),
    findingStatus: FindingStatusSchema,
  })
  .refine(
    (rule) => rule.statusId !== undefined || rule.statusName !== undefined || rule.resolutionName !== undefined,
    'Set statusId, statusName or resolutionName',
  );
export type JiraStatusRule = z.output<typeof JiraStatusRuleSchema>;

const CategoryMapSchema = z.object({
  new: FindingStatusSchema.nullable().optional(),
  indeterminate: FindingStatusSchema.nullable().optional(),
  done: FindingStatusSchema.nullable().optional(),
});

export const JiraStatusMapSchema = z.object({
  byCategory: CategoryMapSchema.prefault({}),
  rules: z.array(JiraStatusRuleSchema).max(100, 'Must have at most 100 status rules').default([]),
});
export type JiraStatusMap = z.output<typeof JiraStatusMapSchema>;

const GlobalJiraStatusMapSchema = JiraStatusMapSchema.transform((map) => ({
  ...map,
  byCategory: {
    new: 'open',
    indeterminate: 'in_progress',
    done: 'resolved',
    ...stripUndefined(map.byCategory),
  } as Record<StatusCategoryKey, FindingStatus | null>,
}));

const SummaryTemplateSchema = z
  .string()
  .trim()
  .superRefine((template, ctx) => {
    const parsed = parseSummaryTemplate(template);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  });

const mappingTargetShape = {
  name: lineText(100).optional(),
  projectKey: ProjectKeySchema,
  issueTypeId: JiraIdSchema.optional(),
  issueTypeName: JiraNameSchema.optional(),
  labels: z.array(LabelSchema).max(20, 'Must have at most 20 labels').default([]),
  defaultAssigneeAccountId: AccountIdSchema.optional(),
  /** The issue summary layout (summary.ts placeholders); absent: the built-in layout. */
  summaryTemplate: SummaryTemplateSchema.optional(),
  /** Overrides the global auto-create policy for findings routed here. */
  autoCreate: AutoCreatePolicySchema.optional(),
  /** Overrides the global finding status → Jira map, status by status. */
  statusMap: FindingStatusMapSchema.optional(),
  /** Checked before the global Jira → finding status map. */
  jiraStatusMap: z
    .object({ byCategory: CategoryMapSchema.prefault({}), rules: z.array(JiraStatusRuleSchema).max(100).default([]) })
    .optional(),
};

const hasIssueType = (mapping: { issueTypeId?: string; issueTypeName?: string }) =>
  mapping.issueTypeId !== undefined || mapping.issueTypeName !== undefined;
const ISSUE_TYPE_MESSAGE = { message: 'Set issueTypeId or issueTypeName', path: ['issueTypeId'] };

export const AssetMatchSchema = z
  .object({
    assetIds: z.array(lineText(200)).max(1000, 'Must have at most 1000 asset ids').optional(),
    /** Case-insensitive glob on the asset name: `*` any characters, `?` one character. */
    assetNamePattern: lineText(200).optional(),
  })
  .refine(
    (match) => (match.assetIds !== undefined && match.assetIds.length > 0) || match.assetNamePattern !== undefined,
    'Set assetIds or assetNamePattern',
  );
export type AssetMatch = z.output<typeof AssetMatchSchema>;

export const ProjectMappingSchema = z
  .object({ id: MappingIdSchema, match: AssetMatchSchema, ...mappingTargetShape })
  .refine(hasIssueType, ISSUE_TYPE_MESSAGE);
export type ProjectMapping = z.output<typeof ProjectMappingSchema>;

export const DEFAULT_MAPPING_ID = 'default';
export const DefaultMappingSchema = z
  .object(mappingTargetShape)
  .refine(hasIssueType, ISSUE_TYPE_MESSAGE)
  .transform((mapping) => ({ id: DEFAULT_MAPPING_ID, ...mapping }));
export type DefaultMapping = z.output<typeof DefaultMappingSchema>;
/** A project mapping or the default mapping (which has no `match`). */
export type TargetMapping = ProjectMapping | DefaultMapping;

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

/**
 * Where callbacks go: `POST <baseUrl><path>`, signed like ingest requests. The origin of `baseUrl` must be in
 * the manifest's `permissions.external.fetch.backend` (`${PLATFORM_ORIGIN}`), or Forge blocks it.
 * Optional in the document so older documents stay valid; `resolvePlatformCallbackSettings` fills
 * the defaults.
 */
export const DEFAULT_CALLBACK_PATH = '/api/jira-sync/callbacks';
export const DEFAULT_CALLBACK_DEADLINE_SECONDS = 24 * 3600;
export const PlatformCallbackConfigSchema = z.object({
  baseUrl: z
    .string()
    .trim()
    .max(500)
    .refine(
      (value) => /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(value) && URL.canParse(value),
      'Must be an http(s) URL such as https://api.platform.example',
    )
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  path: z
    .string()
    .trim()
    .max(300)
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'Must be a URL path starting with "/" (no query string)')
    .default(DEFAULT_CALLBACK_PATH),
  /** Send callbacks at all (off: nothing is queued). */
  enabled: z.boolean().default(true),
  /** After this long without a successful delivery a callback becomes a dead letter. */
  deadlineSeconds: z
    .number()
    .int()
    .min(60, 'Must be at least 60 seconds')
    .max(30 * 24 * 3600, 'Must be at most 30 days')
    .default(DEFAULT_CALLBACK_DEADLINE_SECONDS),
});
export type PlatformCallbackConfig = z.output<typeof PlatformCallbackConfigSchema>;

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

function stripUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The callback settings with every default applied. */
export function resolvePlatformCallbackSettings(config: Pick<SyncConfig, 'platform'>): PlatformCallbackConfig {
  return config.platform ?? PlatformCallbackConfigSchema.parse({});
}
