import type { ValidationDetail } from '../../../../src/contracts/admin-api';

/** Validation messages by config path (`mappings[0].projectKey`), as the resolver reports them under `config.`. */
export type FieldErrors = Readonly<Record<string, string>>;

export function toFieldErrors(details: ReadonlyArray<ValidationDetail>): FieldErrors {
  const errors: Record<string, string> = {};
  for (const detail of details) {
    const path = detail.path.startsWith('config.') ? detail.path.slice('config.'.length) : detail.path;
    errors[path] = errors[path] ? `${errors[path]}; ${detail.message}` : detail.message;
  }
  return errors;
}

/** Errors at `path` or below it (for a tab's badge or a card's summary). */
export function countErrorsUnder(errors: FieldErrors, prefixes: ReadonlyArray<string>): number {
  return Object.keys(errors).filter((path) =>
    prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)),
  ).length;
}

/** `mappings[0].issueTypeId` → `Project mapping 1 › issue type`, for the list of problems next to Save. */
export function describePath(path: string): string {
  return path
    .replace(/^mappings\[(\d+)\]/, (_m, i: string) => `Project mapping ${Number(i) + 1}`)
    .replace(/^defaultMapping/, 'Default mapping')
    .replace(/^fieldMappings\[(\d+)\]/, (_m, i: string) => `Field mapping ${Number(i) + 1}`)
    .replace(/^priorityMap/, 'Severity → priority')
    .replace(/^slaDays/, 'SLA days')
    .replace(/^autoCreate/, 'Auto-create')
    .replace(/^platform/, 'Platform callbacks')
    .replace(/^statusMap/, 'Finding status → Jira')
    .replace(/^jiraStatusMap/, 'Jira → finding status')
    .replace(/\./g, ' › ');
}
