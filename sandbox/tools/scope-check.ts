import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { uncoveredScopes, type JiraScopeIndex } from '../runtime/jira-scopes';

/**
 * The offline scope check: every Jira REST call in the app's source (each route`…` template, with the
 * method from its `method: '…'` option, GET otherwise) is looked up in Jira's OpenAPI document and
 * must be covered by the manifest's scopes. @forge/lint cannot do this for this app: it stops at the
 * `requestJiraAsApp` wrapper ("Unknown product") and reports nothing.
 */

export interface JiraCallSite {
  file: string;
  line: number;
  method: string;
  /** The route's path with each `${…}` as `{}` and no query string. */
  path: string;
}

export interface ScopeProblem extends JiraCallSite {
  message: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

/** Every route`…` template in the files under `srcDir` that names a Jira REST path. */
export function findJiraCalls(srcDir: string, relativeTo: string = srcDir): JiraCallSite[] {
  const calls: JiraCallSite[] = [];
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const pattern = /route`([^`]*)`/g;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const template = match[1] as string;
      if (!template.startsWith('/rest/')) continue;
      const after = text.slice(pattern.lastIndex, pattern.lastIndex + 400);
      const nextRoute = after.indexOf('route`');
      const window = nextRoute === -1 ? after : after.slice(0, nextRoute);
      const method = /method:\s*'([A-Z]+)'/.exec(window)?.[1] ?? 'GET';
      calls.push({
        file: path.relative(relativeTo, file),
        line: text.slice(0, match.index).split('\n').length,
        method,
        path: (template.split('?')[0] as string).replace(/\$\{[^}]*\}/g, '{}'),
      });
    }
  }
  return calls;
}

/** The calls whose operation is unknown to the document or needs scopes `scopes` does not declare. */
export function checkScopes(
  calls: ReadonlyArray<JiraCallSite>,
  scopes: ReadonlyArray<string>,
  index: JiraScopeIndex,
): ScopeProblem[] {
  const problems: ScopeProblem[] = [];
  for (const call of calls) {
    const operation = index.find(call.method, call.path);
    if (operation === undefined) {
      problems.push({ ...call, message: `${call.method} ${call.path} is not an operation in Jira's OpenAPI document` });
      continue;
    }
    const missing = uncoveredScopes(operation, scopes);
    if (missing) {
      problems.push({
        ...call,
        message:
          `${call.method} ${operation.template} needs one of [${alternatives(missing)}]; ` +
          `the manifest declares ${scopes.join(', ')}`,
      });
    }
  }
  return problems;
}

function alternatives(sets: string[][]): string {
  return sets.map((set) => set.join(' + ')).join('] or [');
}
