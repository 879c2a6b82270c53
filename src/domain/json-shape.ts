import { FORBIDDEN_KEYS } from './text';
import { formatIssuePath, type ValidationIssue } from './validation';

export type JsonShapeLimits = { maxDepth: number; maxArrayLength: number; maxKeysPerObject: number };

export const DEFAULT_JSON_SHAPE_LIMITS: JsonShapeLimits = { maxDepth: 32, maxArrayLength: 10_000, maxKeysPerObject: 1_000 };

/**
 * Walks a JSON-decoded value once (iteratively, no recursion) and reports the first hostile shape:
 * nesting deeper than `maxDepth`, an over-long array, an object with too many keys, or a
 * `__proto__` / `constructor` / `prototype` key. Meant for the edge, before any schema runs.
 */
export function findHostileJsonShape(
  value: unknown,
  limits: JsonShapeLimits = DEFAULT_JSON_SHAPE_LIMITS,
): ValidationIssue | undefined {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.value === null || typeof current.value !== 'object') continue;
    if (current.path.length >= limits.maxDepth) {
      return { path: formatIssuePath(current.path), message: `Nesting is deeper than ${limits.maxDepth} levels` };
    }
    if (Array.isArray(current.value)) {
      if (current.value.length > limits.maxArrayLength) {
        return { path: formatIssuePath(current.path), message: `Array has more than ${limits.maxArrayLength} items` };
      }
      current.value.forEach((item, index) => stack.push({ value: item, path: [...current.path, index] }));
      continue;
    }
    const keys = Object.keys(current.value);
    if (keys.length > limits.maxKeysPerObject) {
      return { path: formatIssuePath(current.path), message: `Object has more than ${limits.maxKeysPerObject} keys` };
    }
    for (const key of keys) {
      if (FORBIDDEN_KEYS.has(key)) {
        return { path: formatIssuePath([...current.path, key]), message: `"${key}" is a reserved key` };
      }
      stack.push({ value: (current.value as Record<string, unknown>)[key], path: [...current.path, key] });
    }
  }
  return undefined;
}
