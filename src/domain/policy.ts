import type { Finding, FindingStatus } from './finding';
import type { SyncConfig, TargetMapping } from './config';

export type PolicyDecision =
  | { action: 'create' }
  | { action: 'skip'; reason: 'closed-status' | 'auto-create-disabled' | 'severity-below-policy'; message: string };

const CLOSED_STATUSES: ReadonlySet<FindingStatus> = new Set(['resolved', 'false_positive', 'risk_accepted']);

/**
 * Whether a finding that has no issue yet gets one. The mapping's `autoCreate` overrides the
 * global one. Findings that are already closed on the platform never create issues. (Findings
 * that already have an issue are updated whatever the policy says; this decides creation only.)
 */
export function decidePolicy(
  finding: Pick<Finding, 'severity' | 'status'>,
  mapping: Pick<TargetMapping, 'autoCreate'> | undefined,
  config: Pick<SyncConfig, 'autoCreate'>,
): PolicyDecision {
  if (CLOSED_STATUSES.has(finding.status)) {
    return {
      action: 'skip',
      reason: 'closed-status',
      message: `The finding is already ${finding.status.replace('_', ' ')} on the platform`,
    };
  }
  const policy = mapping?.autoCreate ?? config.autoCreate;
  if (policy.mode === 'none') {
    return { action: 'skip', reason: 'auto-create-disabled', message: 'Automatic issue creation is turned off' };
  }
  if (policy.mode === 'severities' && !policy.severities.includes(finding.severity)) {
    return {
      action: 'skip',
      reason: 'severity-below-policy',
      message:
        `${finding.severity} findings do not create issues automatically ` +
        `(policy: ${policy.severities.join(', ')})`,
    };
  }
  return { action: 'create' };
}
