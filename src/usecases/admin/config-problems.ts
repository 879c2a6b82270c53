import type { ConfigProblem } from '../../contracts/admin-api';
import { checkFieldCompatibility } from '../../contracts/field-compatibility';
import {
  listProjectStatuses,
  type ProjectDetails,
  type SiteMetadata,
  type WorkflowStatus,
} from '../../contracts/site-metadata';
import type { JiraStatusRule, StatusTarget, SyncConfig, TargetMapping } from '../../domain/config';

/**
 * Compares a configuration with the live Jira site: every name and id it uses must exist there
 * (priorities, projects, issue types, workflow statuses, resolutions, fields of a compatible type).
 * Pure. Errors would make the sync fail (a save is refused); warnings are worth an admin's look
 * (e.g. a priority a project's scheme does not offer, so Jira uses the project default).
 * Paths are those of the config document (`mappings[0].issueTypeId`), for inline messages.
 */

/** What is known about each project the config names: its details, or null when Jira has no such project. */
export type ProjectLookup = ReadonlyMap<string, ProjectDetails | null>;

const lower = (value: string) => value.trim().toLowerCase();

function statusMatches(status: WorkflowStatus, ref: { statusId?: string; statusName?: string }): boolean {
  if (ref.statusId !== undefined) return status.id === ref.statusId;
  return ref.statusName !== undefined && lower(status.name) === lower(ref.statusName);
}

function describeStatusRef(ref: { statusId?: string; statusName?: string }): string {
  return ref.statusId !== undefined ? `Status id ${ref.statusId}` : `Status "${ref.statusName}"`;
}

/** Project keys the configuration routes findings to. */
export function listConfiguredProjectKeys(config: SyncConfig): string[] {
  const keys = config.mappings.map((m) => m.projectKey);
  if (config.defaultMapping) keys.push(config.defaultMapping.projectKey);
  return [...new Set(keys)];
}

function mappingPath(index: number | 'default'): string {
  return index === 'default' ? 'defaultMapping' : `mappings[${index}]`;
}

function checkMapping(
  mapping: TargetMapping,
  index: number | 'default',
  config: SyncConfig,
  site: SiteMetadata,
  projects: ProjectLookup,
  problems: ConfigProblem[],
): void {
  const base = mappingPath(index);
  const project = projects.get(mapping.projectKey);
  if (project === undefined) return; // not looked up (e.g. Jira unavailable): nothing to say
  if (project === null) {
    problems.push({
      path: `${base}.projectKey`,
      message: `Jira has no project with key ${mapping.projectKey} (deleted or renamed?)`,
      severity: 'error',
    });
    return;
  }
  const issueType = project.issueTypes.find((type) =>
    mapping.issueTypeId !== undefined
      ? type.id === mapping.issueTypeId
      : lower(type.name) === lower(mapping.issueTypeName ?? ''),
  );
  if (!issueType) {
    const what = mapping.issueTypeId !== undefined ? `id ${mapping.issueTypeId}` : `"${mapping.issueTypeName}"`;
    problems.push({
      path: `${base}.issueTypeId`,
      message: `Project ${project.key} has no issue type ${what}`,
      severity: 'error',
    });
  }
  const statuses = listProjectStatuses(project, issueType ? { id: issueType.id } : undefined);

  // Finding status → Jira status targets (the mapping's own, then the global ones it inherits).
  const checkTarget = (target: StatusTarget | null | undefined, path: string, inherited: boolean) => {
    if (!target || (target.statusId === undefined && target.statusName === undefined)) return;
    if (statuses.some((s) => statusMatches(s, target))) return;
    problems.push({
      path: inherited ? `${base}.projectKey` : path,
      message:
        `${describeStatusRef(target)} is not in the workflow of ${project.key}` +
        (issueType ? ` ${issueType.name}` : '') +
        (inherited ? ` (global status map, ${path})` : ''),
      severity: inherited ? 'warning' : 'error',
    });
  };
  for (const [status, target] of Object.entries(mapping.statusMap ?? {}))
    checkTarget(target, `${base}.statusMap.${status}`, false);
  for (const [status, target] of Object.entries(config.statusMap)) {
    if (mapping.statusMap?.[status as keyof typeof config.statusMap] !== undefined) continue;
    checkTarget(target, `statusMap.${status}`, true);
  }
  (mapping.jiraStatusMap?.rules ?? []).forEach((rule, ruleIndex) =>
    checkRule(rule, `${base}.jiraStatusMap.rules[${ruleIndex}]`, statuses, project.key, site, problems),
  );

  // Priorities the project's scheme does not offer: Jira refuses them on create.
  const allowed = new Set(project.priorityIds);
  for (const [severity, name] of Object.entries(config.priorityMap)) {
    const priority = site.priorities.find((p) => lower(p.name) === lower(name));
    if (priority && allowed.size > 0 && !allowed.has(priority.id)) {
      problems.push({
        path: `${base}.projectKey`,
        message: `Priority "${priority.name}" (for ${severity}) is not in ${project.key}'s priority scheme`,
        severity: 'warning',
      });
    }
  }
}

function checkRule(
  rule: JiraStatusRule,
  path: string,
  statuses: WorkflowStatus[] | undefined,
  projectKey: string | undefined,
  site: SiteMetadata,
  problems: ConfigProblem[],
): void {
  if (
    statuses &&
    (rule.statusId !== undefined || rule.statusName !== undefined) &&
    !statuses.some((s) => statusMatches(s, rule))
  ) {
    problems.push({
      path: `${path}.${rule.statusId !== undefined ? 'statusId' : 'statusName'}`,
      message: `${describeStatusRef(rule)} is not in the workflow of ${projectKey}`,
      severity: 'error',
    });
  }
  if (
    rule.resolutionName !== undefined &&
    !site.resolutions.some((r) => lower(r.name) === lower(rule.resolutionName!))
  ) {
    problems.push({
      path: `${path}.resolutionName`,
      message: `Jira has no resolution "${rule.resolutionName}"`,
      severity: 'error',
    });
  }
}

/** Everything in `config` that does not match the site. `projects` must hold every configured project key. */
export function findConfigProblems(config: SyncConfig, site: SiteMetadata, projects: ProjectLookup): ConfigProblem[] {
  const problems: ConfigProblem[] = [];

  for (const [severity, name] of Object.entries(config.priorityMap)) {
    if (!site.priorities.some((p) => lower(p.name) === lower(name))) {
      problems.push({ path: `priorityMap.${severity}`, message: `Jira has no priority "${name}"`, severity: 'error' });
    }
  }

  const allStatuses = [...projects.values()].flatMap((p) => (p ? listProjectStatuses(p) : []));
  for (const [status, target] of Object.entries(config.statusMap)) {
    if (
      target?.resolutionName !== undefined &&
      !site.resolutions.some((r) => lower(r.name) === lower(target.resolutionName!))
    ) {
      problems.push({
        path: `statusMap.${status}.resolutionName`,
        message: `Jira has no resolution "${target.resolutionName}"`,
        severity: 'error',
      });
    }
  }
  config.jiraStatusMap.rules.forEach((rule, index) => {
    const path = `jiraStatusMap.rules[${index}]`;
    if (
      allStatuses.length > 0 &&
      (rule.statusId !== undefined || rule.statusName !== undefined) &&
      !allStatuses.some((s) => statusMatches(s, rule))
    ) {
      problems.push({
        path: `${path}.${rule.statusId !== undefined ? 'statusId' : 'statusName'}`,
        message: `${describeStatusRef(rule)} is in none of the mapped projects' workflows`,
        severity: 'warning',
      });
    }
    checkRule(rule, path, undefined, undefined, site, problems);
  });

  config.mappings.forEach((mapping, index) => checkMapping(mapping, index, config, site, projects, problems));
  if (config.defaultMapping) checkMapping(config.defaultMapping, 'default', config, site, projects, problems);

  config.fieldMappings.forEach((mapping, index) => {
    const field = site.fields.find((f) => f.id === mapping.fieldId);
    if (!field) {
      problems.push({
        path: `fieldMappings[${index}].fieldId`,
        message: `Jira has no field ${mapping.fieldId} (deleted?)`,
        severity: 'error',
      });
      return;
    }
    const compatibility = checkFieldCompatibility(mapping.source, field);
    if (!compatibility.ok)
      problems.push({ path: `fieldMappings[${index}].fieldId`, message: compatibility.reason, severity: 'error' });
  });

  return problems;
}
