import type { SyncConfig, TargetMapping } from './config';
import { sanitiseLabel } from './custom-field';
import type { Finding } from './finding';
import type { Severity } from './severity';
import { renderSummary, type SummaryFinding } from './summary';

/**
 * Finding → Jira field values that need no Jira metadata beyond what is passed in. Siblings:
 * routing.ts, policy.ts, fingerprint.ts, custom-field.ts, status-mapping.ts, transition-path.ts,
 * adf.ts (description), all re-exported here for convenience.
 */

export const APP_LABEL = 'finding-sync';
export { SUMMARY_MAX_LENGTH } from './summary-template';

/**
 * The issue summary: `[CVE-…: ]<title>[ in <file>:<line> | in <package>@<version> | on <host/path>]`,
 * or the mapping's template (see summary.ts); one line, ≤ 255 characters, no bidi controls.
 */
export function buildSummary(finding: SummaryFinding, mapping?: Pick<TargetMapping, 'summaryTemplate'>): string {
  return renderSummary(finding, mapping?.summaryTemplate);
}

/** The app's label, `severity-<x>`, the scanner (lower-case) and the mapping's labels: sanitised, unique. */
export function buildLabels(
  finding: Pick<Finding, 'severity' | 'scanner'>,
  mapping?: Pick<TargetMapping, 'labels'>,
): string[] {
  const labels = [APP_LABEL, `severity-${finding.severity}`];
  if (finding.scanner) labels.push(sanitiseLabel(finding.scanner).toLowerCase());
  labels.push(...(mapping?.labels ?? []).map(sanitiseLabel));
  return [...new Set(labels.filter((label) => label !== ''))];
}

export type JiraPriority = { id: string; name: string };
export type PriorityResolution = { ok: true; priority: JiraPriority } | { ok: false; reason: string };

/**
 * The configured priority for a severity, resolved against the priorities the project actually
 * offers (by name, case-insensitive, or by id).
 */
export function resolvePriority(
  severity: Severity,
  config: Pick<SyncConfig, 'priorityMap'>,
  projectPriorities: ReadonlyArray<JiraPriority>,
): PriorityResolution {
  const wanted = config.priorityMap[severity];
  const normalised = wanted.trim().toLowerCase();
  const priority =
    projectPriorities.find((p) => p.name.trim().toLowerCase() === normalised) ??
    projectPriorities.find((p) => p.id === wanted);
  if (priority) return { ok: true, priority };
  const available = projectPriorities.map((p) => p.name).join(', ') || 'none';
  return {
    ok: false,
    reason:
      `Priority "${wanted}" (for ${severity} findings) is not available in this project ` + `(available: ${available})`,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` (UTC) `slaDays[severity]` days after `now`, or undefined when no SLA is set. */
export function computeDueDate(severity: Severity, config: Pick<SyncConfig, 'slaDays'>, now: Date): string | undefined {
  const days = config.slaDays[severity];
  if (days === undefined) return undefined;
  return new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

export { routeFinding, matchesGlob, type RouteResult } from './routing';
export { decidePolicy, type PolicyDecision } from './policy';
export { computeFingerprint, diffFingerprints, type FindingFingerprint, type FingerprintPart } from './fingerprint';
export {
  coerceCustomFieldValue,
  mapCustomFields,
  readFindingSource,
  sanitiseLabel,
  type CoercionResult,
  type JiraFieldMeta,
  type JiraFieldSchema,
  type MappedCustomFields,
} from './custom-field';
export {
  findStatusesForTarget,
  mapJiraStatusToFindingStatus,
  resolveStatusTarget,
  type JiraStatus,
  type JiraStatusSnapshot,
} from './status-mapping';
export { planTransitionPath, type TransitionGraph, type WorkflowTransition } from './transition-path';
export { buildFindingDescription } from './finding-description';
