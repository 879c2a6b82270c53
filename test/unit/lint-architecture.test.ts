import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The layering rules in eslint.config.mjs bite: each case lints a small file placed (virtually) in
 * one layer with the project's own configuration and expects the rule's error, and a file with the
 * imports its layer may make passes. test/setup/lint-probe.mjs runs ESLint (in a child process) with
 * type-aware linting switched off; every other setting is the real one.
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const LAYERING_RULES = new Set(['no-restricted-imports', 'import-x/no-restricted-paths']);

type ProbeMessage = { ruleId: string | null; message: string; fatal: boolean };
type ProbeResult = { filePath: string; messages: ProbeMessage[] };

const REFUSED: Array<[filePath: string, importLine: string, expected: RegExp]> = [
  ['src/domain/x.ts', "import { kvs } from '@forge/kvs';", /no-restricted-imports: .*@forge\/kvs/],
  [
    'src/domain/x.ts',
    "import { listByPrefix } from '../storage/kvs-scan';",
    /no-restricted-paths: .*src\/domain is pure/,
  ],
  ['src/domain/x.ts', "import { ingestDeps } from '../composition';", /no-restricted-paths: .*src\/domain is pure/],
  ['src/domain/x.ts', "import type { Logger } from '../usecases/ports';", /no-restricted-paths: .*src\/domain is pure/],
  ['src/usecases/x.ts', "import api from '@forge/api';", /no-restricted-imports: .*@forge\/api/],
  [
    'src/usecases/x.ts',
    "import { issueGateway } from '../jira/issue-gateway';",
    /no-restricted-paths: .*Use cases depend on ports/,
  ],
  ['src/usecases/admin/x.ts', "import { configRepository } from '../../storage/config-repository';", /Use cases/],
  ['src/handlers/x.ts', "import { linkRepository } from '../storage/link-repository';", /src\/composition\.ts/],
  ['src/contracts/x.ts', "import { syncQueue } from '../storage/sync-queue';", /src\/contracts is shared/],
  ['src/jira/x.ts', "import { createSandbox } from '../../sandbox';", /src\/ is the app Forge deploys/],
  ['src/x.ts', "import { buildFinding } from '../test/builders/finding';", /never imports the sandbox, tests/],
  ['static/admin/src/x.ts', "import { normalizeSeverity } from '../../../src/domain/severity';", /only src\/contracts/],
  ['static/admin/src/tabs/x.tsx', "import { kvs } from '@forge/kvs';", /@forge\/bridge only/],
];

const ALLOWED: Array<[filePath: string, imports: string]> = [
  ['src/domain/x.ts', "import { z } from 'zod';\nimport { normalizeSeverity } from './severity';"],
  ['src/usecases/x.ts', "import type { Finding } from '../domain/finding';\nimport type { Logger } from './ports';"],
  [
    'src/storage/x.ts',
    "import { kvs } from '@forge/kvs';\nimport type { CallbackQueue } from '../usecases/callback-ports';",
  ],
  ['src/handlers/x.ts', "import Resolver from '@forge/resolver';\nimport { ingestDeps } from '../composition';"],
  [
    'static/admin/src/x.ts',
    "import { invoke } from '@forge/bridge';\nimport type { AdminApi } from '../../../src/contracts/admin-api';",
  ],
  ['sandbox/x.ts', "import { kvs } from '@forge/kvs';\nimport { ingestDeps } from '../src/composition';"],
];

const probeCode = (imports: string) => `${imports}\nexport const probe = 1;\n`;

/** All cases in one ESLint run: [refused..., allowed...]. */
function lintAll(): ProbeResult[] {
  const cases = [
    ...REFUSED.map(([filePath, importLine]) => ({ filePath, code: probeCode(importLine) })),
    ...ALLOWED.map(([filePath, imports]) => ({ filePath, code: probeCode(imports) })),
  ];
  const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'test/setup/lint-probe.mjs')], {
    cwd: REPO_ROOT,
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out) as ProbeResult[];
}

function layeringErrors(result: ProbeResult | undefined): string[] {
  if (!result) throw new Error('the lint probe returned fewer results than cases');
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${result.filePath} did not parse: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages
    .filter((m) => m.ruleId !== null && LAYERING_RULES.has(m.ruleId))
    .map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint: the architecture is enforced', () => {
  let results: ProbeResult[] = [];
  beforeAll(() => {
    results = lintAll();
  }, 120_000);

  it.each(REFUSED.map((c, index) => [...c, index] as const))('%s: %s is refused', (_file, _line, expected, index) => {
    expect(layeringErrors(results[index])).toEqual([expect.stringMatching(expected)]);
  });

  it.each(ALLOWED.map((c, index) => [...c, REFUSED.length + index] as const))(
    '%s: allowed imports pass',
    (_file, _imports, index) => {
      expect(layeringErrors(results[index])).toEqual([]);
    },
  );
});
