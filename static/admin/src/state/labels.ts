import type {
  AutoCreatePolicy,
  FindingStatus,
  Grouping,
  OwnedField,
  Severity,
} from '../../../../src/contracts/admin-api';

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Informational',
};

export const FINDING_STATUS_LABELS: Readonly<Record<FindingStatus, string>> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  false_positive: 'False positive',
  risk_accepted: 'Risk accepted',
  reopened: 'Reopened',
};

export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  new: 'To Do',
  indeterminate: 'In Progress',
  done: 'Done',
  undefined: 'No category',
};

/** A mapping's `grouping`: how many findings share one Jira issue (README "Grouping"). */
export const GROUPING_LABELS: Readonly<Record<Grouping, string>> = {
  none: 'One issue per finding',
  rule: 'By rule',
  'rule+asset': 'By rule and asset',
  file: 'By file',
  package: 'By package',
  cve: 'By CVE',
};

export const OWNED_FIELD_LABELS: Readonly<Record<OwnedField, { label: string; help: string }>> = {
  summary: { label: 'Summary', help: 'The finding title.' },
  description: { label: 'Description', help: 'Details, remediation and references.' },
  labels: { label: 'Labels', help: "The mapping's labels." },
  priority: { label: 'Priority', help: 'From the severity → priority map.' },
  assignee: { label: 'Assignee', help: "The finding's owner or the mapping's default assignee." },
  dueDate: { label: 'Due date', help: 'From the SLA days of the severity.' },
  customFields: { label: 'Mapped custom fields', help: 'Every field on the Fields tab.' },
};

/** A short description of an auto-create policy, e.g. "only Critical, High". */
export function describeAutoCreate(policy: AutoCreatePolicy): string {
  if (policy.mode === 'all') return 'every finding';
  if (policy.mode === 'none') return 'none (paused)';
  return `only ${policy.severities.map((s) => SEVERITY_LABELS[s]).join(', ')}`;
}
