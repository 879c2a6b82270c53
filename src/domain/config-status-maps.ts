import { z } from 'zod';
import { JiraIdSchema, JiraNameSchema, stripUndefined } from './config-values';
import { FINDING_STATUSES, FindingStatusSchema, type FindingStatus } from './finding';

/**
 * Status maps of the configuration, both directions. Finding status → Jira is by status *category*
 * by default (never by status name, which differs between workflows); Jira → finding status is by
 * category (new → open, indeterminate → in_progress, done → resolved), overridable by rules per
 * status and resolution. The `Global…` schemas fill the defaults; per-mapping maps override them.
 */

export const STATUS_CATEGORY_KEYS = ['new', 'indeterminate', 'done'] as const;
export type StatusCategoryKey = (typeof STATUS_CATEGORY_KEYS)[number];

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

export const GlobalStatusMapSchema = FindingStatusMapSchema.transform((map) => ({
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

export const CategoryMapSchema = z.object({
  new: FindingStatusSchema.nullable().optional(),
  indeterminate: FindingStatusSchema.nullable().optional(),
  done: FindingStatusSchema.nullable().optional(),
});

export const JiraStatusMapSchema = z.object({
  byCategory: CategoryMapSchema.prefault({}),
  rules: z.array(JiraStatusRuleSchema).max(100, 'Must have at most 100 status rules').default([]),
});
export type JiraStatusMap = z.output<typeof JiraStatusMapSchema>;

export const GlobalJiraStatusMapSchema = JiraStatusMapSchema.transform((map) => {
  const byCategory: Record<StatusCategoryKey, FindingStatus | null> = {
    new: 'open',
    indeterminate: 'in_progress',
    done: 'resolved',
    ...stripUndefined(map.byCategory),
  };
  return { ...map, byCategory };
});
