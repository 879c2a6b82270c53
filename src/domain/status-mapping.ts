import type { FindingStatus } from './finding';
import type { StatusTarget, SyncConfig, TargetMapping, JiraStatusRule, StatusCategoryKey } from './config';

/** What Jira says about an issue's status (from an issue event or a fetched issue). */
export type JiraStatusSnapshot = {
  statusCategoryKey: string;
  statusName?: string;
  statusId?: string;
  resolutionName?: string | null;
};

/** A status of the project's workflow, as Jira lists it. */
export type JiraStatus = { id: string; name: string; statusCategoryKey: string };

const same = (a: string | undefined | null, b: string | undefined | null) =>
  a !== undefined && a !== null && b !== undefined && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

/** How specifically a rule matches (higher wins), or -1 when it does not match. */
function ruleScore(rule: JiraStatusRule, snapshot: JiraStatusSnapshot): number {
  const namesStatus = rule.statusId !== undefined || rule.statusName !== undefined;
  if (rule.statusId !== undefined && rule.statusId !== snapshot.statusId) return -1;
  if (rule.statusName !== undefined && !same(rule.statusName, snapshot.statusName)) return -1;
  if (rule.resolutionName !== undefined && !same(rule.resolutionName, snapshot.resolutionName)) return -1;
  return (namesStatus ? 2 : 0) + (rule.resolutionName !== undefined ? 1 : 0);
}

function bestRule(
  rules: ReadonlyArray<JiraStatusRule> | undefined,
  snapshot: JiraStatusSnapshot,
): FindingStatus | undefined {
  let best: { score: number; status: FindingStatus } | undefined;
  for (const rule of rules ?? []) {
    const score = ruleScore(rule, snapshot);
    if (score >= 0 && (best === undefined || score > best.score)) best = { score, status: rule.findingStatus };
  }
  return best?.status;
}

function isCategory(key: string): key is StatusCategoryKey {
  return key === 'new' || key === 'indeterminate' || key === 'done';
}

/**
 * Jira status → finding status. Order: the mapping's rules, the global rules (most specific rule
 * first: status + resolution, then status, then resolution), then the mapping's category map, then
 * the global category map. A category mapped to `null`, or an unknown category, is `unmapped`:
 * reported, never guessed.
 */
export function mapJiraStatusToFindingStatus(
  snapshot: JiraStatusSnapshot,
  mapping: Pick<TargetMapping, 'jiraStatusMap'> | undefined,
  config: Pick<SyncConfig, 'jiraStatusMap'>,
): FindingStatus | 'unmapped' {
  const byRule = bestRule(mapping?.jiraStatusMap?.rules, snapshot) ?? bestRule(config.jiraStatusMap.rules, snapshot);
  if (byRule) return byRule;
  const category = snapshot.statusCategoryKey;
  if (!isCategory(category)) return 'unmapped';
  const fromMapping = mapping?.jiraStatusMap?.byCategory[category];
  if (fromMapping !== undefined) return fromMapping ?? 'unmapped';
  return config.jiraStatusMap.byCategory[category] ?? 'unmapped';
}

/** Finding status → where the Jira issue should go (`null`: leave the issue where it is). */
export function resolveStatusTarget(
  status: FindingStatus,
  mapping: Pick<TargetMapping, 'statusMap'> | undefined,
  config: Pick<SyncConfig, 'statusMap'>,
): StatusTarget | null {
  const override = mapping?.statusMap?.[status];
  return override !== undefined ? override : config.statusMap[status];
}

/**
 * The workflow statuses that satisfy a target, in the order Jira listed them: by id, else by
 * name, else every status of the category. Feed the result to `planTransitionPath`.
 */
export function findStatusesForTarget(target: StatusTarget, statuses: ReadonlyArray<JiraStatus>): string[] {
  if (target.statusId !== undefined) return statuses.filter((s) => s.id === target.statusId).map((s) => s.id);
  if (target.statusName !== undefined) return statuses.filter((s) => same(s.name, target.statusName)).map((s) => s.id);
  return statuses.filter((s) => s.statusCategoryKey === target.statusCategory).map((s) => s.id);
}
