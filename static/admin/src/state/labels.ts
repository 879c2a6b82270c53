import type { FindingStatus, Severity } from '../../../../src/contracts/admin-api';

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Informational' };

export const FINDING_STATUS_LABELS: Readonly<Record<FindingStatus, string>> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  false_positive: 'False positive',
  risk_accepted: 'Risk accepted',
  reopened: 'Reopened',
};

export const CATEGORY_LABELS: Readonly<Record<string, string>> = { new: 'To Do', indeterminate: 'In Progress', done: 'Done', undefined: 'No category' };
