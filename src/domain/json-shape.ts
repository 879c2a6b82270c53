import { FORBIDDEN_KEYS } from './text';
import { formatIssuePath, type ValidationIssue } from './validation';

export type JsonShapeLimits = {
  maxDepth: number;
  maxArrayLength: number;
  maxKeysPerObject: number;
  /** Longest string value or key (UTF-16 units); unlimited when absent. */
  maxStringLength?: number;
};

export const DEFAULT_JSON_SHAPE_LIMITS: JsonShapeLimits = {
  maxDepth: 32,
  maxArrayLength: 10_000,
  maxKeysPerObject: 1_000,
};

type Frame = { value: unknown; depth: number; parent: Frame | undefined; key: PropertyKey | undefined };

function pathOf(frame: Frame | undefined): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let current = frame; current?.key !== undefined; current = current.parent) path.push(current.key);
  return path.reverse();
}

/**
 * Walks a JSON-decoded value once (iteratively, no recursion) and reports the first hostile shape:
 * nesting deeper than `maxDepth`, an over-long array, an object with too many keys, or a
 * `__proto__` / `constructor` / `prototype` key. Meant for the edge, before any schema runs.
 */
export function findHostileJsonShape(
  value: unknown,
  limits: JsonShapeLimits = DEFAULT_JSON_SHAPE_LIMITS,
): ValidationIssue | undefined {
  const stack: Frame[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (typeof current === 'string') {
      if (limits.maxStringLength !== undefined && current.length > limits.maxStringLength) {
        return {
          path: formatIssuePath(pathOf(frame)),
          message: `String is longer than ${limits.maxStringLength} characters`,
        };
      }
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (frame.depth >= limits.maxDepth) {
      return { path: formatIssuePath(pathOf(frame)), message: `Nesting is deeper than ${limits.maxDepth} levels` };
    }
    if (Array.isArray(current)) {
      if (current.length > limits.maxArrayLength) {
        return { path: formatIssuePath(pathOf(frame)), message: `Array has more than ${limits.maxArrayLength} items` };
      }
      for (let index = current.length - 1; index >= 0; index--) {
        stack.push({ value: current[index], depth: frame.depth + 1, parent: frame, key: index });
      }
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.maxKeysPerObject) {
      return { path: formatIssuePath(pathOf(frame)), message: `Object has more than ${limits.maxKeysPerObject} keys` };
    }
    for (const key of keys) {
      if (limits.maxStringLength !== undefined && key.length > limits.maxStringLength) {
        return {
          path: formatIssuePath(pathOf(frame)),
          message: `A key is longer than ${limits.maxStringLength} characters`,
        };
      }
      if (FORBIDDEN_KEYS.has(key)) {
        return { path: formatIssuePath([...pathOf(frame), key]), message: `"${key}" is a reserved key` };
      }
    }
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index]!;
      stack.push({ value: (current as Record<string, unknown>)[key], depth: frame.depth + 1, parent: frame, key });
    }
  }
  return undefined;
}
