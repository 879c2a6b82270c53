import { extractAdfText } from './adf-validator';
import { JiraHttpError } from './jira-error';
import type { JiraSite } from './jira-site';
import { JqlSyntaxError, parseJql, type JqlNode, type JqlOperator, type JqlOrderItem, type JqlValue } from './jql';
import type { JiraFieldRecord, JiraIssueRecord } from './types';
import { valueText } from './value-text';

/**
 * Evaluates the JQL subset against the emulator's issues, failing like Jira does: unknown fields,
 * values that do not exist (projects, statuses, issue keys), unsupported operators and unbounded
 * queries are 400s with `errorMessages`.
 */

/** An app's `jira:entityProperty` index declaration: which property paths JQL can search. */
export interface EntityPropertyIndex {
  propertyKey: string;
  extractions: Array<{ objectPath: string; type: 'string' | 'number' | 'text' | 'date' | 'user' }>;
}

export interface JqlContext {
  currentAccountId: string | null;
  /** When set, only these property paths are searchable (as on Forge); when undefined, every path is. */
  propertyIndex?: EntityPropertyIndex[];
}

export interface CompiledSearch {
  matches: (issue: JiraIssueRecord) => boolean;
  compare: (a: JiraIssueRecord, b: JiraIssueRecord) => number;
}

type Predicate = (issue: JiraIssueRecord) => boolean;

function jqlError(message: string): JiraHttpError {
  return new JiraHttpError(400, [message]);
}

function operatorNotSupported(op: JqlOperator, field: string): JiraHttpError {
  return jqlError(`The operator '${op.toUpperCase()}' is not supported by the '${field}' field.`);
}

function stringsOf(value: JqlValue, ctx: JqlContext, field: string): Array<string | null> {
  switch (value.kind) {
    case 'string':
      return [value.value];
    case 'empty':
      return [null];
    case 'list':
      return value.values.flatMap((v) => stringsOf(v, ctx, field));
    case 'function': {
      const name = value.name.toLowerCase();
      if (name === 'currentuser') return [ctx.currentAccountId];
      throw jqlError(`Unable to find JQL function '${value.name}(${value.args.join(', ')})'.`);
    }
  }
}

/** Equality-style clause over a set of ids the issue has (empty set = field empty). */
function equalityClause(
  field: string,
  op: JqlOperator,
  value: JqlValue,
  ctx: JqlContext,
  resolve: (text: string) => string[],
  issueIds: (issue: JiraIssueRecord) => string[],
): Predicate {
  if (op === 'is' || op === 'is not') {
    if (value.kind !== 'empty')
      throw jqlError(
        `The operator '${op.toUpperCase()}' can only be used with the EMPTY or NULL value for the '${field}' field.`,
      );
    return op === 'is' ? (i) => issueIds(i).length === 0 : (i) => issueIds(i).length > 0;
  }
  if (!['=', '!=', 'in', 'not in'].includes(op)) throw operatorNotSupported(op, field);
  if ((op === '=' || op === '!=') && value.kind === 'list')
    throw jqlError(`The operator '${op}' does not support the list value for the '${field}' field.`);
  const wanted = new Set<string>();
  let wantsEmpty = false;
  for (const text of stringsOf(value, ctx, field)) {
    if (text === null) wantsEmpty = true;
    else resolve(text).forEach((id) => wanted.add(id));
  }
  const hit = (issue: JiraIssueRecord) => {
    const ids = issueIds(issue);
    return (wantsEmpty && ids.length === 0) || ids.some((id) => wanted.has(id));
  };
  return op === '=' || op === 'in' ? hit : (issue) => issueIds(issue).length > 0 && !hit(issue);
}

const DATE_HELP =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', " +
  "or a period format e.g. '-5d', '4w 2d'.";

function parseJqlDate(text: string, field: string, now: number): number {
  const relative = /^([+-]?)(\d+)([wdhm])$/i.exec(text.trim());
  if (relative) {
    const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[
      relative[3]!.toLowerCase() as 'w' | 'd' | 'h' | 'm'
    ];
    const amount = Number(relative[2]) * unit;
    return relative[1] === '-' ? now - amount : now + amount;
  }
  const absolute = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text.trim());
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0));
  }
  throw jqlError(`Date value '${text}' for field '${field}' is invalid. ${DATE_HELP}`);
}

function dateClause(
  field: string,
  op: JqlOperator,
  value: JqlValue,
  ctx: JqlContext,
  now: number,
  issueTime: (i: JiraIssueRecord) => number | null,
): Predicate {
  if (op === 'is' || op === 'is not') {
    if (value.kind !== 'empty')
      throw jqlError(
        `The operator '${op.toUpperCase()}' can only be used with the EMPTY or NULL value for the '${field}' field.`,
      );
    return op === 'is' ? (i) => issueTime(i) === null : (i) => issueTime(i) !== null;
  }
  if (value.kind === 'function') {
    const name = value.name.toLowerCase();
    if (name !== 'now') throw jqlError(`Unable to find JQL function '${value.name}(${value.args.join(', ')})'.`);
  }
  if (value.kind === 'list' || value.kind === 'empty') throw operatorNotSupported(op, field);
  const at = value.kind === 'function' ? now : parseJqlDate(value.value, field, now);
  const cmp: Record<string, (t: number) => boolean> = {
    '=': (t) => t === at,
    '!=': (t) => t !== at,
    '>': (t) => t > at,
    '>=': (t) => t >= at,
    '<': (t) => t < at,
    '<=': (t) => t <= at,
  };
  const test = cmp[op];
  if (!test) throw operatorNotSupported(op, field);
  void ctx;
  return (issue) => {
    const t = issueTime(issue);
    return t !== null && test(t);
  };
}

function textClause(
  field: string,
  op: JqlOperator,
  value: JqlValue,
  texts: (i: JiraIssueRecord) => string[],
): Predicate {
  if (op === 'is' || op === 'is not') {
    if (value.kind !== 'empty')
      throw jqlError(
        `The operator '${op.toUpperCase()}' can only be used with the EMPTY or NULL value for the '${field}' field.`,
      );
    return op === 'is' ? (i) => texts(i).every((t) => t === '') : (i) => texts(i).some((t) => t !== '');
  }
  if (op !== '~' && op !== '!~') throw operatorNotSupported(op, field);
  if (value.kind !== 'string') throw operatorNotSupported(op, field);
  const words = value.value.toLowerCase().replace(/[*?]/g, '').split(/\s+/).filter(Boolean);
  const hit = (issue: JiraIssueRecord) => {
    const haystack = texts(issue).join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  };
  return op === '~' ? hit : (issue) => !hit(issue);
}

function timeOf(value: string | null): number | null {
  return value ? Date.parse(value.replace(/\+0000$/, 'Z')) : null;
}

function propertyValues(issue: JiraIssueRecord, key: string, path: string[]): string[] {
  let current: unknown = issue.properties[key];
  for (const part of path) {
    if (current && typeof current === 'object' && !Array.isArray(current))
      current = (current as Record<string, unknown>)[part];
    else return [];
  }
  const list = Array.isArray(current) ? current : [current];
  return list.filter((v) => v !== undefined && v !== null && typeof v !== 'object').map((v) => String(v));
}

export function compileJqlSearch(site: JiraSite, jql: string, ctx: JqlContext): CompiledSearch {
  let parsed;
  try {
    parsed = parseJql(jql);
  } catch (error) {
    if (error instanceof JqlSyntaxError) throw jqlError(error.message);
    throw error;
  }
  if (!parsed.where)
    throw jqlError('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  const now = site.now();

  const customByClause = (name: string): JiraFieldRecord | undefined => {
    const cf = /^cf\[(\d+)\]$/i.exec(name);
    if (cf) return site.field(`customfield_${cf[1]}`);
    return site.state.fields.find((f) => f.custom && f.name.toLowerCase() === name.toLowerCase());
  };

  const compileClause = (field: string, op: JqlOperator, value: JqlValue): Predicate => {
    const name = field.toLowerCase();
    const property = /^issue\.property\[([^\]]+)\]((?:\.[^.]+)*)$/i.exec(field);
    if (property) {
      const key = property[1]!.replace(/^["']|["']$/g, '');
      const path = (property[2] ?? '').split('.').filter(Boolean);
      const indexed =
        !ctx.propertyIndex ||
        ctx.propertyIndex.some(
          (p) => p.propertyKey === key && p.extractions.some((e) => e.objectPath === path.join('.')),
        );
      const values = (i: JiraIssueRecord) => (indexed ? propertyValues(i, key, path) : []);
      if (op === '~' || op === '!~') return textClause(field, op, value, (i) => values(i));
      if (['>', '>=', '<', '<='].includes(op)) {
        if (value.kind !== 'string') throw operatorNotSupported(op, field);
        const bound = Number(value.value);
        const cmp = {
          '>': (n: number) => n > bound,
          '>=': (n: number) => n >= bound,
          '<': (n: number) => n < bound,
          '<=': (n: number) => n <= bound,
        }[op as '>'];
        return (i) => values(i).some((v) => Number.isFinite(Number(v)) && cmp(Number(v)));
      }
      return equalityClause(field, op, value, ctx, (t) => [t], values);
    }
    switch (name) {
      case 'project':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            const p = site.project(t) ?? site.state.projects.find((x) => x.name.toLowerCase() === t.toLowerCase());
            if (!p) throw jqlError(`The value '${t}' does not exist for the field 'project'.`);
            return [p.id];
          },
          (i) => [i.projectId],
        );
      case 'key':
      case 'issuekey':
      case 'id':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            const issue = site.issue(t);
            if (!issue) {
              if (/^\d+$/.test(t)) return [];
              const projectKey = t.split('-')[0] ?? '';
              if (!/^[A-Z][A-Z0-9_]*-\d+$/i.test(t) || !site.project(projectKey))
                throw jqlError(`The issue key '${t}' for field '${field}' is invalid.`);
              throw jqlError(`An issue with key '${t.toUpperCase()}' does not exist for field '${field}'.`);
            }
            return [issue.id];
          },
          (i) => [i.id],
        );
      case 'labels':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => [t],
          (i) => (i.values['labels'] as string[] | undefined) ?? [],
        );
      case 'status':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            const s = site.status(t) ?? site.statusByName(t);
            if (!s) throw jqlError(`The value '${t}' does not exist for the field 'status'.`);
            return [s.id];
          },
          (i) => [i.statusId],
        );
      case 'statuscategory':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            const lower = t.toLowerCase();
            const c = [2, 3, 4]
              .map((id) => site.statusCategory(id))
              .find((x) => String(x.id) === t || x.key === lower || x.name.toLowerCase() === lower);
            if (!c) throw jqlError(`The value '${t}' does not exist for the field 'statusCategory'.`);
            return [String(c.id)];
          },
          (i) => [String(site.status(i.statusId)!.categoryId)],
        );
      case 'issuetype':
      case 'type':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            const found = site.state.issueTypes.filter((x) => x.id === t || x.name.toLowerCase() === t.toLowerCase());
            if (found.length === 0) throw jqlError(`The value '${t}' does not exist for the field '${field}'.`);
            return found.map((x) => x.id);
          },
          (i) => [i.issueTypeId],
        );
      case 'priority':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            const found = site.state.priorities.filter((x) => x.id === t || x.name.toLowerCase() === t.toLowerCase());
            if (found.length === 0) throw jqlError(`The value '${t}' does not exist for the field 'priority'.`);
            return found.map((x) => x.id);
          },
          (i) => (typeof i.values['priority'] === 'string' ? [i.values['priority']] : []),
        );
      case 'resolution':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            if (t.toLowerCase() === 'unresolved') return ['__unresolved__'];
            const found = site.state.resolutions.filter((x) => x.id === t || x.name.toLowerCase() === t.toLowerCase());
            if (found.length === 0) throw jqlError(`The value '${t}' does not exist for the field 'resolution'.`);
            return found.map((x) => x.id);
          },
          (i) => (i.resolutionId ? [i.resolutionId] : op === 'is' || op === 'is not' ? [] : ['__unresolved__']),
        );
      case 'assignee':
      case 'reporter':
      case 'creator':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            if (!site.user(t)) throw jqlError(`The value '${t}' does not exist for the field '${name}'.`);
            return [t];
          },
          (i) => {
            const id = name === 'creator' ? i.creatorId : i.values[name];
            return typeof id === 'string' ? [id] : [];
          },
        );
      case 'summary':
        return textClause(field, op, value, (i) => [valueText(i.values['summary'])]);
      case 'description':
      case 'environment':
        return textClause(field, op, value, (i) => [i.values[name] ? extractAdfText(i.values[name]) : '']);
      case 'text':
        return textClause(field, op, value, (i) => [
          valueText(i.values['summary']),
          ...site.state.fields
            .filter((f) => f.kind === 'adf' || f.kind === 'text')
            .map((f) => {
              const v = i.values[f.id];
              return f.kind === 'adf' && v ? extractAdfText(v) : typeof v === 'string' ? v : '';
            }),
          ...i.comments.map((c) => extractAdfText(c.body)),
        ]);
      case 'created':
      case 'createddate':
        return dateClause(field, op, value, ctx, now, (i) => timeOf(i.created));
      case 'updated':
      case 'updateddate':
        return dateClause(field, op, value, ctx, now, (i) => timeOf(i.updated));
      case 'resolved':
      case 'resolutiondate':
        return dateClause(field, op, value, ctx, now, (i) => timeOf(i.resolutionDate));
      case 'statuscategorychangeddate':
        return dateClause(field, op, value, ctx, now, (i) => timeOf(i.statusCategoryChangeDate));
      case 'due':
      case 'duedate':
        return dateClause(field, op, value, ctx, now, (i) =>
          typeof i.values['duedate'] === 'string' ? Date.parse(`${i.values['duedate']}T00:00:00Z`) : null,
        );
    }
    const custom = customByClause(field);
    if (!custom) throw jqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
    const raw = (i: JiraIssueRecord) => i.values[custom.id];
    switch (custom.kind) {
      case 'text':
      case 'url':
        if (op === '~' || op === '!~' || op === 'is' || op === 'is not')
          return textClause(field, op, value, (i) => [typeof raw(i) === 'string' ? (raw(i) as string) : '']);
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => [t],
          (i) => (typeof raw(i) === 'string' ? [raw(i) as string] : []),
        );
      case 'adf':
        return textClause(field, op, value, (i) => [raw(i) ? extractAdfText(raw(i)) : '']);
      case 'select':
      case 'multiselect':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => {
            const option = custom.options?.find((o) => o.value.toLowerCase() === t.toLowerCase() || o.id === t);
            if (!option) throw jqlError(`The option '${t}' for field '${custom.name}' does not exist.`);
            return [option.id];
          },
          (i) => (Array.isArray(raw(i)) ? (raw(i) as string[]) : typeof raw(i) === 'string' ? [raw(i) as string] : []),
        );
      case 'labels':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => [t],
          (i) => (Array.isArray(raw(i)) ? (raw(i) as string[]) : []),
        );
      case 'user':
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => [t],
          (i) => (typeof raw(i) === 'string' ? [raw(i) as string] : []),
        );
      case 'number': {
        if (['>', '>=', '<', '<='].includes(op) && value.kind === 'string') {
          const bound = Number(value.value);
          const cmp = {
            '>': (n: number) => n > bound,
            '>=': (n: number) => n >= bound,
            '<': (n: number) => n < bound,
            '<=': (n: number) => n <= bound,
          }[op as '>'];
          return (i) => typeof raw(i) === 'number' && cmp(raw(i) as number);
        }
        return equalityClause(
          field,
          op,
          value,
          ctx,
          (t) => [String(Number(t))],
          (i) => (typeof raw(i) === 'number' ? [String(raw(i))] : []),
        );
      }
      case 'date':
        return dateClause(field, op, value, ctx, now, (i) => {
          const date = raw(i);
          return typeof date === 'string' ? Date.parse(`${date}T00:00:00Z`) : null;
        });
      default:
        throw jqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
    }
  };

  const compileNode = (node: JqlNode): Predicate => {
    switch (node.kind) {
      case 'and': {
        const l = compileNode(node.left);
        const r = compileNode(node.right);
        return (i) => l(i) && r(i);
      }
      case 'or': {
        const l = compileNode(node.left);
        const r = compileNode(node.right);
        return (i) => l(i) || r(i);
      }
      case 'not': {
        const inner = compileNode(node.operand);
        return (i) => !inner(i);
      }
      case 'clause':
        return compileClause(node.field, node.operator, node.value);
    }
  };

  const matches = compileNode(parsed.where);
  const compare = compileOrder(site, parsed.orderBy);
  return { matches, compare };
}

function issueNumber(issue: JiraIssueRecord): number {
  return Number(issue.key.split('-')[1] ?? 0);
}

function compileOrder(site: JiraSite, items: JqlOrderItem[]): (a: JiraIssueRecord, b: JiraIssueRecord) => number {
  const keyFns = items.map((item) => {
    const name = item.field.toLowerCase();
    let key: (i: JiraIssueRecord) => string | number | null;
    switch (name) {
      case 'key':
      case 'issuekey':
        key = (i) => `${site.projectById(i.projectId).key}-${String(issueNumber(i)).padStart(12, '0')}`;
        break;
      case 'id':
        key = (i) => Number(i.id);
        break;
      case 'created':
        key = (i) => i.created;
        break;
      case 'updated':
        key = (i) => i.updated;
        break;
      case 'priority':
        key = (i) => {
          const index = site.state.priorities.findIndex((p) => p.id === i.values['priority']);
          return index < 0 ? null : -index;
        };
        break;
      case 'status':
        key = (i) => site.status(i.statusId)!.name;
        break;
      case 'summary':
        key = (i) => valueText(i.values['summary']).toLowerCase();
        break;
      case 'project':
        key = (i) => site.projectById(i.projectId).name;
        break;
      case 'duedate':
        key = (i) => (typeof i.values['duedate'] === 'string' ? i.values['duedate'] : null);
        break;
      case 'resolved':
      case 'resolutiondate':
        key = (i) => i.resolutionDate;
        break;
      default: {
        const cf = /^cf\[(\d+)\]$/i.exec(item.field);
        const field = cf
          ? site.field(`customfield_${cf[1]}`)
          : site.state.fields.find((f) => f.custom && f.name.toLowerCase() === name);
        if (!field) throw jqlError(`Not able to sort using field '${item.field}'.`);
        key = (i) => {
          const v = i.values[field.id];
          return typeof v === 'number' || typeof v === 'string' ? v : null;
        };
      }
    }
    const dir = item.direction === 'desc' ? -1 : 1;
    return { key, dir };
  });
  // Without ORDER BY (and as the final tie-break) issues come back newest first.
  keyFns.push({ key: (i) => Number(i.id), dir: -1 });
  return (a, b) => {
    for (const { key, dir } of keyFns) {
      const x = key(a);
      const y = key(b);
      if (x === y) continue;
      if (x === null) return 1; // empty values sort last in both directions
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir;
    }
    return 0;
  };
}
