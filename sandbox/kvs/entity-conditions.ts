import { badRequest, type KvsError } from './kvs-error';
import type { Conditions, Filter } from './kvs-schemas';

/**
 * Conditions on custom-entity operations inside a transaction (`set`/`delete` with `conditions`,
 * and `check`), as built by @forge/kvs's `Filter` + `FilterConditions`: `{ and: [...] }` or
 * `{ or: [...] }`, each filter `{ property, condition, values }` on a top-level attribute of the
 * stored entity value.
 */
type ConditionName =
  | 'BEGINS_WITH'
  | 'BETWEEN'
  | 'CONTAINS'
  | 'NOT_CONTAINS'
  | 'EQUAL_TO'
  | 'NOT_EQUAL_TO'
  | 'EXISTS'
  | 'NOT_EXISTS'
  | 'GREATER_THAN'
  | 'GREATER_THAN_EQUAL_TO'
  | 'LESS_THAN'
  | 'LESS_THAN_EQUAL_TO';

const VALUE_COUNT: Record<ConditionName, number> = {
  BEGINS_WITH: 1,
  BETWEEN: 2,
  CONTAINS: 1,
  NOT_CONTAINS: 1,
  EQUAL_TO: 1,
  NOT_EQUAL_TO: 1,
  EXISTS: 1,
  NOT_EXISTS: 1,
  GREATER_THAN: 1,
  GREATER_THAN_EQUAL_TO: 1,
  LESS_THAN: 1,
  LESS_THAN_EQUAL_TO: 1,
};

function isConditionName(name: string): name is ConditionName {
  return Object.prototype.hasOwnProperty.call(VALUE_COUNT, name);
}

/** The filters and operator of a conditions object, or the Forge error for a malformed one. */
export function readConditions(conditions: Conditions): { operator: 'and' | 'or'; filters: Filter[] } | KvsError {
  if (conditions.and !== undefined && conditions.or !== undefined) {
    return badRequest(
      'INVALID_FILTER_OPERATORS_COMBINATION',
      'Filter operators "and" and "or" cannot be present at the same level.',
    );
  }
  const operator = conditions.and !== undefined ? 'and' : 'or';
  const filters = conditions.and ?? conditions.or ?? [];
  if (filters.length === 0) {
    return badRequest('EMPTY_FILTER_OPERATOR', 'Filter operators "and" and "or" cannot be empty.');
  }
  for (const filter of filters) {
    const error = checkFilter(filter);
    if (error !== undefined) return error;
  }
  return { operator, filters };
}

function checkFilter(filter: Filter): KvsError | undefined {
  if (!isConditionName(filter.condition)) {
    return badRequest('INVALID_FILTER_CONDITION', `The condition "${filter.condition}" is not supported for filters.`);
  }
  if (filter.property.length === 0) {
    return badRequest('INVALID_FILTER_VALUES', 'A filter needs a non-empty property name.');
  }
  const expected = VALUE_COUNT[filter.condition];
  const clause = `The condition ${filter.condition} on "${filter.property}"`;
  if (filter.values.length < expected) {
    return badRequest(
      expected === 2 ? 'INSUFFICIENT_FILTER_VALUES' : 'INVALID_FILTER_VALUES',
      `${clause} needs ${expected} value(s), got ${filter.values.length}.`,
    );
  }
  if (filter.values.length > expected) {
    return badRequest('INVALID_FILTER_VALUES', `${clause} takes ${expected} value(s), got ${filter.values.length}.`);
  }
  for (const value of filter.values) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      return badRequest(
        'INVALID_FILTER_VALUES',
        'Filter values must be strings, numbers or booleans; ' +
          `${filter.condition} on "${filter.property}" got ${JSON.stringify(value)}.`,
      );
    }
  }
  if (filter.condition === 'CONTAINS' || filter.condition === 'NOT_CONTAINS' || filter.condition === 'BEGINS_WITH') {
    if (typeof filter.values[0] === 'boolean') {
      return badRequest(
        'INVALID_FILTER_VALUES',
        `${filter.condition} on "${filter.property}" needs a string or number value.`,
      );
    }
  }
  return undefined;
}

/**
 * Whether `entity` (the stored value, or undefined when there is none) satisfies the conditions.
 * A missing entity is evaluated as having no attributes: NOT_EXISTS holds, everything else fails.
 * Comparisons on a missing attribute are false; values must have the same type to compare.
 */
export function matchesConditions(entity: unknown, operator: 'and' | 'or', filters: readonly Filter[]): boolean {
  const attributes =
    entity !== null && typeof entity === 'object' && !Array.isArray(entity) ? (entity as Record<string, unknown>) : {};
  const results = filters.map((filter) => matchesFilter(attributes, filter));
  return operator === 'and' ? results.every(Boolean) : results.some(Boolean);
}

function matchesFilter(attributes: Record<string, unknown>, filter: Filter): boolean {
  const present = Object.prototype.hasOwnProperty.call(attributes, filter.property);
  const actual = present ? attributes[filter.property] : undefined;
  const [first, second] = filter.values;
  switch (filter.condition as ConditionName) {
    case 'EXISTS':
      return present;
    case 'NOT_EXISTS':
      return !present;
    case 'EQUAL_TO':
      return present && actual === first;
    case 'NOT_EQUAL_TO':
      return present && actual !== first;
    case 'BEGINS_WITH':
      return typeof actual === 'string' && actual.startsWith(String(first));
    case 'CONTAINS':
      return containsValue(actual, first);
    case 'NOT_CONTAINS':
      return present && !containsValue(actual, first);
    case 'GREATER_THAN':
      return compareOrNaN(actual, first) > 0;
    case 'GREATER_THAN_EQUAL_TO':
      return compareOrNaN(actual, first) >= 0;
    case 'LESS_THAN':
      return compareOrNaN(actual, first) < 0;
    case 'LESS_THAN_EQUAL_TO':
      return compareOrNaN(actual, first) <= 0;
    case 'BETWEEN':
      return compareOrNaN(actual, first) >= 0 && compareOrNaN(actual, second) <= 0;
  }
}

function containsValue(actual: unknown, needle: unknown): boolean {
  if (typeof actual === 'string') return actual.includes(String(needle));
  if (Array.isArray(actual)) return actual.some((item) => item === needle);
  return false;
}

/**
 * Sign of actual − expected, or NaN (every comparison false) when they cannot be compared: different types, missing.
 */
function compareOrNaN(actual: unknown, expected: unknown): number {
  if (typeof actual === 'number' && typeof expected === 'number') return actual - expected;
  if (typeof actual === 'string' && typeof expected === 'string')
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  return Number.NaN;
}
