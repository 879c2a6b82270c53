import { z } from 'zod';
import { SyncConfigSchema } from '../domain/config';
import {
  BulkJobRequestSchema,
  BulkJobViewSchema,
  ConfigProblemSchema,
  CallbackHealthViewSchema,
  DeadCallbackPageSchema,
  DeadLetterPageSchema,
  HealthViewSchema,
  HeldScanPageSchema,
  HeldScanRequestSchema,
  PageRequestSchema,
} from './health-api';
import { ProjectDetailsSchema, SiteMetadataSchema } from './site-metadata';

export * from './health-api';

/**
 * The admin page ↔ resolver contract, shared by src/handlers/admin-resolver.ts and static/admin.
 * Every resolver answers `{ ok: true, data }` or `{ ok: false, error: { code, message, details? } }`.
 * VALIDATION_FAILED carries `details: ValidationDetail[]` (paths like `config.mappings[0].projectKey`)
 * so the page shows each message next to its field; CONFLICT carries `details: ConflictDetail`.
 */

export const ERROR_CODES = [
  'FORBIDDEN',
  'VALIDATION_FAILED',
  'CONFLICT',
  'NOT_FOUND',
  'UPSTREAM_FAILED',
  /** Jira's hourly points quota for the app is spent: `details: QuotaExhaustedDetail` (when it comes back). */
  'QUOTA_EXHAUSTED',
  'INTERNAL',
] as const;
export type AdminErrorCode = (typeof ERROR_CODES)[number];

export interface AdminError {
  code: AdminErrorCode;
  message: string;
  details?: unknown;
}

export type AdminResult<T> = { ok: true; data: T } | { ok: false; error: AdminError };

export const ValidationDetailSchema = z.object({ path: z.string(), message: z.string() });
export type ValidationDetail = z.infer<typeof ValidationDetailSchema>;
export const ValidationDetailsSchema = z.array(ValidationDetailSchema);

export const ConflictDetailSchema = z.object({
  currentRevision: z.number().int(),
  savedAt: z.string().nullable(),
  savedBy: z.string().nullable(),
});
export type ConflictDetail = z.infer<typeof ConflictDetailSchema>;

export const QuotaExhaustedDetailSchema = z.object({ until: z.string(), reason: z.string() });
export type QuotaExhaustedDetail = z.infer<typeof QuotaExhaustedDetailSchema>;

const EmptySchema = z.object({}).strict();
const IsoTimeSchema = z.string();

export const AppStatusSchema = z.object({
  webTriggerUrl: z.string().url(),
  lastHealthRunAt: z.string().nullable(),
});
export type AppStatus = z.infer<typeof AppStatusSchema>;

export const StoredConfigViewSchema = z.object({
  config: SyncConfigSchema,
  /** 0 = never saved (defaults). Send it back with `config/save`. */
  revision: z.number().int().min(0),
  savedAt: IsoTimeSchema.nullable(),
  savedBy: z.string().nullable(),
});
export type StoredConfigView = z.infer<typeof StoredConfigViewSchema>;

export const SaveConfigRequestSchema = z
  .object({ revision: z.number().int().min(0), config: SyncConfigSchema })
  .strict();
export const SaveConfigResponseSchema = z.object({
  revision: z.number().int(),
  savedAt: IsoTimeSchema,
  warnings: z.array(ConfigProblemSchema),
});

export const ProjectDetailsRequestSchema = z.object({ projectKey: z.string().trim().min(1).max(255) }).strict();

export const ConnectionViewSchema = z.object({
  webTriggerUrl: z.string().url(),
  secret: z.object({
    exists: z.boolean(),
    createdAt: IsoTimeSchema.nullable(),
    previousExpiresAt: IsoTimeSchema.nullable(),
  }),
  lastHealthRunAt: IsoTimeSchema.nullable(),
});
export type ConnectionView = z.infer<typeof ConnectionViewSchema>;

export const MAX_GRACE_HOURS = 168;
export const RotateSecretRequestSchema = z
  .object({
    graceHours: z
      .number()
      .int('Must be a whole number of hours')
      .min(0)
      .max(MAX_GRACE_HOURS, `At most ${MAX_GRACE_HOURS} hours (7 days)`),
  })
  .strict();
export const RotateSecretResponseSchema = z.object({
  secret: z.string(),
  createdAt: IsoTimeSchema,
  previousExpiresAt: IsoTimeSchema.nullable(),
});

export const ConnectionTestResultSchema = z.object({
  url: z.string(),
  reachable: z.boolean(),
  status: z.number().int().nullable(),
  latencyMs: z.number(),
  /** What the platform answered (start of the body) or why it could not be reached. */
  message: z.string(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResultSchema>;

export const ReplayCallbackRequestSchema = z.object({ id: z.string().min(1).max(200) }).strict();

export const ReplayRequestSchema = z.object({ findingKey: z.string().min(1).max(200) }).strict();

export const TestFindingRequestSchema = z
  .object({
    severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
    assetId: z.string().trim().min(1, 'Enter the asset id the finding belongs to').max(200),
    assetName: z.string().trim().max(200).optional(),
    title: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export const TestFindingSentSchema = z.object({
  findingId: z.string(),
  findingKey: z.string(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  /** The mapping the finding routes to now (null: no mapping matches, it will be unrouted). */
  mappingId: z.string().nullable(),
});
export const TestFindingStatusRequestSchema = z.object({ findingKey: z.string().min(1).max(200) }).strict();
export const TestFindingStatusSchema = z.object({
  state: z.enum(['pending', 'linked', 'skipped', 'unrouted', 'dead', 'issue-deleted']),
  issueKey: z.string().nullable(),
  reason: z.string().nullable(),
});
export type TestFindingStatus = z.infer<typeof TestFindingStatusSchema>;

/** Resolver keys (namespaced) → request payload schema and response data schema. */
export const adminApi = {
  'app/status': { request: EmptySchema, response: AppStatusSchema },
  'config/get': { request: EmptySchema, response: StoredConfigViewSchema },
  'config/save': { request: SaveConfigRequestSchema, response: SaveConfigResponseSchema },
  'site/metadata': { request: EmptySchema, response: SiteMetadataSchema },
  'site/project': { request: ProjectDetailsRequestSchema, response: ProjectDetailsSchema },
  'connection/get': { request: EmptySchema, response: ConnectionViewSchema },
  'connection/rotate-secret': { request: RotateSecretRequestSchema, response: RotateSecretResponseSchema },
  'connection/test': { request: EmptySchema, response: ConnectionTestResultSchema },
  'health/get': { request: EmptySchema, response: HealthViewSchema },
  'dead-letters/replay': { request: ReplayRequestSchema, response: z.object({ queued: z.literal(true) }) },
  'callbacks/health': { request: EmptySchema, response: CallbackHealthViewSchema },
  'callbacks/replay': { request: ReplayCallbackRequestSchema, response: z.object({ queued: z.literal(true) }) },
  'callbacks/list-dead': { request: PageRequestSchema, response: DeadCallbackPageSchema },
  'dead-letters/list': { request: PageRequestSchema, response: DeadLetterPageSchema },
  /** Replay all: starts (or returns the running) background job; follow it with `jobs/get`. */
  'callbacks/replay-all': { request: EmptySchema, response: BulkJobViewSchema },
  'dead-letters/replay-all': { request: EmptySchema, response: BulkJobViewSchema },
  'jobs/get': { request: BulkJobRequestSchema, response: BulkJobViewSchema.nullable() },
  /** Complete scans held for confirmation (20 a page); Apply queues the closing, Discard forgets the scan. */
  'scans/held': { request: PageRequestSchema, response: HeldScanPageSchema },
  'scans/apply': { request: HeldScanRequestSchema, response: z.object({ queued: z.literal(true) }) },
  'scans/discard': { request: HeldScanRequestSchema, response: z.object({ discarded: z.literal(true) }) },
  'test-finding/send': { request: TestFindingRequestSchema, response: TestFindingSentSchema },
  'test-finding/status': { request: TestFindingStatusRequestSchema, response: TestFindingStatusSchema },
} as const;

export type AdminApiKey = keyof typeof adminApi;
export const ADMIN_API_KEYS = Object.keys(adminApi) as AdminApiKey[];
/** What the page sends (schema input: defaults may be omitted). */
export type AdminRequest<K extends AdminApiKey> = z.input<(typeof adminApi)[K]['request']>;
/** What the resolver receives after parsing. */
export type AdminParsedRequest<K extends AdminApiKey> = z.output<(typeof adminApi)[K]['request']>;
export type AdminResponse<K extends AdminApiKey> = z.infer<(typeof adminApi)[K]['response']>;

// The configuration document the page edits is the sync's own (src/domain/config.ts): re-exported so
// static/admin reaches it through the contract only.
export type {
  AutoCreatePolicy,
  DefaultMapping,
  FieldMapping,
  JiraStatusMap,
  JiraStatusRule,
  OwnedField,
  PlatformCallbackConfig,
  ProjectMapping,
  StatusTarget,
  SyncConfig,
} from '../domain/config';
export { DEFAULT_CALLBACK_PATH, DEFAULT_PLATFORM_OWNED, OWNED_FIELDS } from '../domain/config';
export { FIELD_SOURCES, type FieldSource, type KnownFieldSource } from '../domain/field-sources';
export { FINDING_STATUSES, type FindingStatus } from '../domain/finding';
export { GROUPINGS, type Grouping } from '../domain/grouping-mode';
export { SEVERITIES, type Severity } from '../domain/severity';
