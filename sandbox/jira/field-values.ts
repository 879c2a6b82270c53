import { checkAdfDocument, extractAdfText } from './adf-validator';
import type { JiraSite } from './jira-site';
import type { JiraChangeItem, JiraFieldRecord, JiraProjectRecord } from './types';
import { valueText } from './value-text';

/**
 * Layer 3 (field part): how Jira checks a value for one field and stores it. Messages follow what
 * Jira Cloud answers in English; callers must key on the field id, never on the text.
 */

export const TEXT_LIMIT = 32_767;
const TEXT_TOO_LONG_MESSAGE =
  'The entered text is too long. ' +
  `It exceeds the allowed limit of ${TEXT_LIMIT.toLocaleString('en-US')} characters.`;
export const SUMMARY_LIMIT = 255;
export const ADF_MESSAGE = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): ParseResult => ({ ok: true, value });
const fail = (message: string): ParseResult => ({ ok: false, message });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseDate(raw: unknown): ParseResult {
  if (raw === null) return ok(null);
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) {
    return fail(`Error parsing date string: ${valueText(raw)}`);
  }
  return ok(raw);
}

function parseOption(field: JiraFieldRecord, raw: unknown): ParseResult {
  if (!isRecord(raw)) return fail(`Specify a valid value for ${field.name}`);
  const options = field.options ?? [];
  if (typeof raw['id'] === 'string' || typeof raw['id'] === 'number') {
    const found = options.find((o) => o.id === String(raw['id']));
    return found ? ok(found.id) : fail(`Option id '${String(raw['id'])}' is not valid`);
  }
  if (typeof raw['value'] === 'string') {
    const found = options.find((o) => o.value === raw['value']);
    return found ? ok(found.id) : fail(`Option value '${raw['value']}' is not valid`);
  }
  return fail(`Specify a valid value for ${field.name}`);
}

function parseUser(site: JiraSite, raw: unknown): ParseResult {
  if (raw === null) return ok(null);
  if (!isRecord(raw)) return fail("expected Object containing an 'accountId'");
  if (raw['name'] !== undefined || raw['key'] !== undefined) {
    return fail("'accountId' must be the only user identifying query parameter in GDPR strict mode.");
  }
  const accountId =
    typeof raw['accountId'] === 'string' ? raw['accountId'] : typeof raw['id'] === 'string' ? raw['id'] : undefined;
  if (accountId === undefined) return fail("expected Object containing an 'accountId'");
  const user = site.user(accountId);
  if (!user || !user.active) return fail('Specified user does not exist or you do not have required permissions');
  return ok(user.accountId);
}

function parseLabels(raw: unknown): ParseResult {
  if (!Array.isArray(raw)) return fail('expected an array of labels');
  for (const label of raw) {
    if (typeof label !== 'string') return fail('expected an array of labels');
    const problem = checkLabel(label);
    if (problem) return fail(problem);
  }
  return ok([...new Set(raw as string[])]);
}

export function checkLabel(label: string): string | null {
  if (label.trim() === '') return 'Labels cannot be empty.';
  if (/\s/.test(label)) return `The label '${label}' contains spaces which is invalid.`;
  if (label.length > 255)
    return `The label '${label}' exceeds the maximum length for a single label of 255 characters.`;
  return null;
}

/** Checks one field value from a create/edit/transition request and returns the stored form. */
export function parseFieldValue(
  site: JiraSite,
  project: JiraProjectRecord,
  field: JiraFieldRecord,
  raw: unknown,
): ParseResult {
  switch (field.kind) {
    case 'summary': {
      if (typeof raw !== 'string') return fail('Operation value must be a string');
      if (raw.trim() === '') return fail('You must specify a summary of the issue.');
      if (raw.length > SUMMARY_LIMIT) return fail('Summary must be less than 255 characters.');
      if (/[\r\n]/.test(raw)) return fail('The summary is invalid because it contains newline characters.');
      return ok(raw);
    }
    case 'adf': {
      if (raw === null) return ok(null);
      if (!isRecord(raw)) return fail(ADF_MESSAGE);
      const problems = checkAdfDocument(raw);
      if (problems) return fail(`${ADF_MESSAGE}: ${problems[0]}`);
      if (extractAdfText(raw).length > TEXT_LIMIT) return fail(TEXT_TOO_LONG_MESSAGE);
      return ok(raw);
    }
    case 'text': {
      if (raw === null) return ok(null);
      if (typeof raw !== 'string') return fail('Operation value must be a string');
      if (raw.length > 255) return fail('Please enter text no longer than 255 characters.');
      return ok(raw);
    }
    case 'url': {
      if (raw === null) return ok(null);
      if (typeof raw !== 'string') return fail('Operation value must be a string');
      try {
        const url = new URL(raw);
        if (!/^(https?|ftp|mailto|file):$/.test(url.protocol)) return fail(`Not a valid URL`);
      } catch {
        return fail('Not a valid URL');
      }
      if (raw.length > TEXT_LIMIT) return fail(TEXT_TOO_LONG_MESSAGE);
      return ok(raw);
    }
    case 'number': {
      if (raw === null) return ok(null);
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail('Operation value must be a number');
      return ok(raw);
    }
    case 'select':
      return raw === null ? ok(null) : parseOption(field, raw);
    case 'multiselect': {
      if (raw === null) return ok([]);
      if (!Array.isArray(raw)) return fail('Operation value must be an array');
      const ids: string[] = [];
      for (const item of raw) {
        const parsed = parseOption(field, item);
        if (!parsed.ok) return parsed;
        ids.push(parsed.value as string);
      }
      return ok([...new Set(ids)]);
    }
    case 'labels':
      return raw === null ? ok([]) : parseLabels(raw);
    case 'date':
      return parseDate(raw);
    case 'user':
      return parseUser(site, raw);
    case 'priority': {
      if (!isRecord(raw)) return fail("Could not find valid 'id' or 'name' in priority object.");
      const scheme = site.projectPriorityScheme(project);
      const byId = typeof raw['id'] === 'string' ? site.priority(raw['id']) : undefined;
      const byName =
        typeof raw['name'] === 'string' ? site.state.priorities.find((p) => p.name === raw['name']) : undefined;
      const priority = byId ?? byName;
      if (!priority) {
        if (raw['id'] !== undefined) return fail(`Priority with id '${valueText(raw['id'])}' does not exist`);
        if (raw['name'] !== undefined) return fail(`Priority name '${valueText(raw['name'])}' is not valid`);
        return fail("Could not find valid 'id' or 'name' in priority object.");
      }
      if (!scheme.priorityIds.includes(priority.id)) return fail('The priority selected is invalid.');
      return ok(priority.id);
    }
    case 'resolution': {
      if (raw === null) return ok(null);
      if (!isRecord(raw)) return fail("Could not find valid 'id' or 'name' in resolution object.");
      const byId = typeof raw['id'] === 'string' ? site.resolution(raw['id']) : undefined;
      const byName =
        typeof raw['name'] === 'string' ? site.state.resolutions.find((r) => r.name === raw['name']) : undefined;
      const resolution = byId ?? byName;
      if (!resolution) {
        if (raw['id'] !== undefined) return fail(`Resolution with id '${valueText(raw['id'])}' does not exist`);
        return fail(`Could not find resolution with name '${valueText(raw['name'])}'`);
      }
      return ok(resolution.id);
    }
    case 'issuetype':
    case 'project':
    case 'readonly':
      return fail(`Field '${field.id}' cannot be set. It is not on the appropriate screen, or unknown.`);
  }
}

/** Whether a stored value counts as "no value" for the required-field check. */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function notOnScreenMessage(fieldId: string): string {
  return `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

export function requiredMessage(field: JiraFieldRecord): string {
  if (field.id === 'summary') return 'You must specify a summary of the issue.';
  return `${field.name} is required.`;
}

/** Applies an `update` operation list (`[{set}|{add}|{remove}]`) to a stored value. */
export function applyUpdateOperations(
  site: JiraSite,
  project: JiraProjectRecord,
  field: JiraFieldRecord,
  current: unknown,
  operations: unknown,
): ParseResult {
  if (!Array.isArray(operations)) return fail(`Field '${field.id}' update must be a list of operations`);
  const isList = field.kind === 'labels' || field.kind === 'multiselect';
  let value = current;
  for (const op of operations) {
    if (!isRecord(op)) return fail(`Field '${field.id}' update must be a list of operations`);
    const verbs = Object.keys(op);
    if (verbs.length !== 1) return fail(`Field '${field.id}' update operation must have exactly one verb`);
    const verb = verbs[0] as string;
    const arg = op[verb];
    if (verb === 'set') {
      const parsed = parseFieldValue(site, project, field, arg);
      if (!parsed.ok) return parsed;
      value = parsed.value;
    } else if ((verb === 'add' || verb === 'remove') && isList) {
      const list = Array.isArray(value) ? [...(value as string[])] : [];
      let item: string;
      if (field.kind === 'labels') {
        if (typeof arg !== 'string') return fail('expected a label string');
        const problem = verb === 'add' ? checkLabel(arg) : null;
        if (problem) return fail(problem);
        item = arg;
      } else {
        const parsed = parseFieldValue(site, project, { ...field, kind: 'select' }, arg);
        if (!parsed.ok) return parsed;
        item = parsed.value as string;
      }
      value = verb === 'add' ? (list.includes(item) ? list : [...list, item]) : list.filter((x) => x !== item);
    } else {
      const supported = isList ? "'set', 'add', 'remove'" : "'set'";
      return fail(`Field '${field.id}' does not support operation '${verb}' Supported operation(s) are: ${supported}`);
    }
  }
  return ok(value);
}

/** The `from`/`fromString` half of a changelog item for a stored value. */
export function describeValue(
  site: JiraSite,
  field: JiraFieldRecord,
  value: unknown,
): { id: string | null; text: string | null } {
  if (isEmptyValue(value)) return { id: null, text: null };
  switch (field.kind) {
    case 'adf':
      return { id: null, text: extractAdfText(value) };
    case 'labels':
      return { id: null, text: (value as string[]).join(' ') };
    case 'select': {
      const option = field.options?.find((o) => o.id === value);
      return { id: String(value), text: option?.value ?? null };
    }
    case 'multiselect': {
      const ids = value as string[];
      return {
        id: `[${ids.join(', ')}]`,
        text: ids.map((id) => field.options?.find((o) => o.id === id)?.value ?? id).join(','),
      };
    }
    case 'user':
      return { id: String(value), text: site.user(String(value))?.displayName ?? null };
    case 'priority':
      return { id: String(value), text: site.priority(String(value))?.name ?? null };
    case 'resolution':
      return { id: String(value), text: site.resolution(String(value))?.name ?? null };
    case 'number':
      return { id: null, text: String(value) };
    default:
      return { id: null, text: String(value) };
  }
}

export function changeItem(site: JiraSite, field: JiraFieldRecord, before: unknown, after: unknown): JiraChangeItem {
  const from = describeValue(site, field, before);
  const to = describeValue(site, field, after);
  return {
    field: field.custom ? field.name : field.id,
    fieldtype: field.custom ? 'custom' : 'jira',
    fieldId: field.id,
    from: from.id,
    fromString: from.text,
    to: to.id,
    toString: to.text,
  };
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}
