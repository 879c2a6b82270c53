import type { z } from 'zod';

/** One precise validation problem: where (`path`, e.g. `cvss.score` or `references[2]`) and what. */
export type ValidationIssue = { path: string; message: string };

/** Formats a zod path as `a.b[3].c`; the root is the empty string. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Converts a zod error into `{path, message}` pairs, optionally under a path prefix. */
export function toValidationIssues(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatIssuePath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}
