import { z } from 'zod';
import {
  AccountIdSchema,
  JiraIdSchema,
  JiraNameSchema,
  LabelSchema,
  MappingIdSchema,
  ProjectKeySchema,
} from './config-values';
import { CategoryMapSchema, FindingStatusMapSchema, JiraStatusRuleSchema } from './config-status-maps';
import { GroupingSchema } from './grouping-mode';
import { SEVERITIES, SeveritySchema } from './severity';
import { parseSummaryTemplate } from './summary-template';
import { lineText } from './text';

/**
 * Where findings go: project mappings (matched by asset id or name glob) and the default mapping,
 * each naming a project and issue type, labels, a default assignee, and optional overrides of the
 * auto-create policy and the status maps.
 */

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
  /** Many findings → one issue (`src/domain/grouping.ts`); absent or `none`: one issue per finding. */
  grouping: GroupingSchema.optional(),
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
