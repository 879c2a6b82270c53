/**
 * Offline manifest checks (part of `npm test`):
 * 1. `@forge/manifest`'s validate() — schema, module/function/resource references, runtime;
 * 2. the offline scope check (scope-check.ts): every Jira call in src/ against the manifest's scopes;
 * 3. `@forge/lint`'s client-side linters, when the optional package is installed (it needs the
 *    `libsecret-1-dev` system package to build): scope checks against the code, with Atlassian's
 *    OpenAPI documents read from the vendored copies in sandbox/jira/openapi/ (USE_LOCAL_SWAGGER);
 *    a missing document is an error, not a skipped check.
 * Exits non-zero on any error.
 */
import path from 'node:path';
import { validate } from '@forge/manifest';
import { REPO_ROOT } from '../index';
import { buildAdminPageIfMissing } from './ensure-admin-build';
import { DEFAULT_SPEC_PATH } from '../jira/jira-emulator';
import { loadManifest } from '../runtime/manifest';
import { loadJiraScopeIndex } from '../runtime/jira-scopes';
import { checkScopes, findJiraCalls } from './scope-check';

async function main(): Promise<void> {
  process.chdir(REPO_ROOT);
  await buildAdminPageIfMissing();
  const result = await validate(false);
  const errors = (result.errors ?? []).filter((e) => e.level === 'error');
  for (const e of result.errors ?? [])
    console.log(`manifest.yml:${e.line ?? '?'}:${e.column ?? '?'} ${e.level}: ${e.message}`);
  if (!result.success || errors.length) {
    console.error(`manifest.yml: ${errors.length} error(s) from @forge/manifest validate()`);
    process.exit(1);
  }
  console.log('manifest.yml: @forge/manifest validate() passed');

  const scopeIndex = loadJiraScopeIndex([DEFAULT_SPEC_PATH]);
  if (scopeIndex === undefined) {
    console.error(
      `manifest.yml: ${path.relative(REPO_ROOT, DEFAULT_SPEC_PATH)} is missing — the scope check cannot run`,
    );
    process.exit(1);
  } else {
    const calls = findJiraCalls(path.join(REPO_ROOT, 'src'), REPO_ROOT);
    const problems = checkScopes(calls, loadManifest(REPO_ROOT, {}).scopes, scopeIndex);
    for (const problem of problems) console.error(`${problem.file}:${problem.line} error: ${problem.message}`);
    if (problems.length > 0) process.exit(1);
    console.log(`manifest.yml: scopes cover all ${calls.length} Jira calls in src/`);
  }

  const lint = await runForgeLint();
  if (lint === 'absent') {
    console.log('manifest.yml: @forge/lint is not installed (optional; needs libsecret-1-dev) — scope lint skipped');
  } else if (lint.length) {
    for (const line of lint) console.error(line);
    process.exit(1);
  } else {
    console.log('manifest.yml: @forge/lint scope checks passed');
  }
}

async function runForgeLint(): Promise<'absent' | string[]> {
  let lintModule: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lintModule = require('@forge/lint') as Record<string, unknown>;
  } catch {
    return 'absent';
  }
  const { lintScopes } = await import('./forge-lint');
  return lintScopes(lintModule);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
