import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../index';

/**
 * Runs @forge/lint's client-side PermissionLinter (the scope check `forge lint` does) as a library,
 * offline: the linter reads the products' OpenAPI documents from USE_LOCAL_SWAGGER paths. Jira's
 * platform and software documents are the copies vendored in sandbox/jira/openapi/ (a missing one
 * is an error); the app calls no Confluence,
 * Bitbucket or Service Management API, so those are empty documents (no paths).
 */

interface LintModule {
  PermissionLinter: new (environment: string, manifest: unknown, logger: { info(message: string): void }) => unknown;
  lint: (
    files: string[],
    manifest: unknown,
    environment: string,
    logger: { info(message: string): void },
    statsig: unknown,
    config: unknown,
  ) => Promise<
    {
      file: string;
      errors: { message: string; line: number; column: number }[];
      warnings: { message: string; line: number; column: number }[];
    }[]
  >;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

export const VENDORED_OPENAPI_DIR = path.join(REPO_ROOT, 'sandbox', 'jira', 'openapi');

export async function lintScopes(lintModule: Record<string, unknown>): Promise<string[]> {
  const { PermissionLinter, lint } = lintModule as unknown as LintModule;
  const platformDoc = path.join(VENDORED_OPENAPI_DIR, 'jira-platform-v3.openapi.json');
  const softwareDoc = path.join(VENDORED_OPENAPI_DIR, 'jira-software.openapi.json');
  for (const doc of [platformDoc, softwareDoc]) {
    if (!existsSync(doc))
      throw new Error(`${path.relative(REPO_ROOT, doc)} is missing (vendored; restore it with git checkout)`);
  }
  const empty = mkdtempSync(path.join(os.tmpdir(), 'forge-lint-'));
  const emptyDoc = path.join(empty, 'no-paths.json');
  writeFileSync(emptyDoc, JSON.stringify({ openapi: '3.0.1', paths: {} }));
  Object.assign(process.env, {
    USE_LOCAL_SWAGGER: '1',
    LOCAL_JIRA_SWAGGER: platformDoc,
    LOCAL_JSW_SWAGGER: softwareDoc,
    LOCAL_JSM_SWAGGER: emptyDoc,
    LOCAL_CONF_SWAGGER: emptyDoc,
    LOCAL_CONF_V2_SWAGGER: emptyDoc,
    LOCAL_BB_SWAGGER: emptyDoc,
  });
  const manifest = parse(readFileSync(path.join(REPO_ROOT, 'manifest.yml'), 'utf8')) as unknown;
  const logger = { info: () => undefined };
  const linter = new PermissionLinter('development', manifest, logger);
  // lint() only parses .ts files that the tsconfig in the working directory includes by exact
  // path; from a directory without a tsconfig it parses every file it is given.
  const previousDirectory = process.cwd();
  process.chdir(empty);
  let results: Awaited<ReturnType<LintModule['lint']>>;
  try {
    results = await lint(sourceFiles(path.join(REPO_ROOT, 'src')), manifest, 'development', logger, undefined, {
      linter: { mode: 'client-side' },
      linters: [linter],
    });
  } finally {
    process.chdir(previousDirectory);
  }
  return results.flatMap((r) => [
    ...r.errors.map((e) => `${path.relative(REPO_ROOT, r.file)}:${e.line}:${e.column} error: ${e.message}`),
    ...r.warnings.map((w) => `${path.relative(REPO_ROOT, r.file)}:${w.line}:${w.column} warning: ${w.message}`),
  ]);
}
