import { existsSync, readFileSync } from 'node:fs';
import { jsonResponse, type ServiceResponse } from '../http/types';

/**
 * Which OAuth scopes each Jira REST operation needs, read from Jira's OpenAPI document: every
 * `security` requirement of the `OAuth2` scheme and every `x-atlassian-oauth2-scopes` entry is one
 * accepted set (classic scopes such as `read:jira-work`, or the granular `read:issue:jira` family).
 * An app may call an operation when its manifest declares every scope of at least one set.
 *
 * Forge's proxy refuses an operation the app's scopes do not cover before Jira sees it: 401
 * `{"code":401,"message":"Unauthorized; scope does not match"}` with `x-failure-category:
 * FAILURE_CLIENT_SCOPE_CHECK` (the answer apps report on developer.atlassian.com community threads;
 * the status and body are not in a reference page, so the table lists them as guessed).
 */

export interface OperationScopes {
  method: string;
  /** The document's path template, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  template: string;
  /** Accepted scope sets; empty when the document names none (then nothing is checked). */
  scopeSets: string[][];
}

interface SpecOperation {
  security?: Record<string, string[]>[];
  'x-atlassian-oauth2-scopes'?: { scheme?: string; scopes?: string[] }[];
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

export class JiraScopeIndex {
  private readonly operations: { method: string; segments: string[]; entry: OperationScopes }[] = [];

  constructor(documents: ReadonlyArray<{ paths?: Record<string, Record<string, unknown>> }>) {
    for (const document of documents) {
      for (const [template, item] of Object.entries(document.paths ?? {})) {
        for (const method of METHODS) {
          const operation = item[method] as SpecOperation | undefined;
          if (!operation) continue;
          const entry = { method: method.toUpperCase(), template, scopeSets: scopeSetsOf(operation) };
          this.operations.push({ method: entry.method, segments: splitPath(template), entry });
        }
      }
    }
  }

  /**
   * The operation serving `method path` (query string ignored). A literal segment beats a `{param}`,
   * so `/issue/bulk` is not taken for `/issue/{issueIdOrKey}`. A segment `{}` in `path` (the static
   * check's placeholder for a `${…}` in a route template) only matches a parameter.
   */
  find(method: string, path: string): OperationScopes | undefined {
    const wanted = splitPath(path.split('?')[0] ?? path);
    let best: { entry: OperationScopes; literals: number } | undefined;
    for (const candidate of this.operations) {
      if (candidate.method !== method.toUpperCase() || candidate.segments.length !== wanted.length) continue;
      let literals = 0;
      let matches = true;
      for (let index = 0; index < wanted.length && matches; index += 1) {
        const expected = candidate.segments[index] as string;
        const actual = wanted[index] as string;
        if (isParameter(expected)) matches = actual.length > 0;
        else if (actual === expected) literals += 1;
        else matches = false;
      }
      if (matches && (best === undefined || literals > best.literals)) best = { entry: candidate.entry, literals };
    }
    return best?.entry;
  }
}

/** The scope sets the granted scopes fail to cover, or undefined when one set is fully granted (or none is named). */
export function uncoveredScopes(operation: OperationScopes, granted: ReadonlyArray<string>): string[][] | undefined {
  if (operation.scopeSets.length === 0) return undefined;
  const have = new Set(granted);
  return operation.scopeSets.some((set) => set.every((scope) => have.has(scope))) ? undefined : operation.scopeSets;
}

export function loadJiraScopeIndex(specPaths: ReadonlyArray<string>): JiraScopeIndex | undefined {
  const present = specPaths.filter((file) => existsSync(file));
  if (present.length === 0) return undefined;
  return new JiraScopeIndex(
    present.map(
      (file) => JSON.parse(readFileSync(file, 'utf8')) as { paths?: Record<string, Record<string, unknown>> },
    ),
  );
}

/** Forge's answer to a call its scopes do not cover. */
export function scopeMismatchResponse(): ServiceResponse {
  return jsonResponse(
    401,
    { code: 401, message: 'Unauthorized; scope does not match' },
    { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' },
  );
}

function scopeSetsOf(operation: SpecOperation): string[][] {
  const sets: string[][] = [];
  const add = (scopes: string[] | undefined) => {
    if (!scopes || scopes.length === 0) return;
    const key = [...scopes].sort().join(' ');
    if (!sets.some((set) => [...set].sort().join(' ') === key)) sets.push([...scopes]);
  };
  for (const requirement of operation.security ?? []) add(requirement['OAuth2']);
  for (const entry of operation['x-atlassian-oauth2-scopes'] ?? []) {
    if (entry.scheme === undefined || entry.scheme === 'OAuth2') add(entry.scopes);
  }
  return sets;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function isParameter(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}
