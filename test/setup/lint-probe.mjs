// Lints source texts with the project's ESLint configuration and prints the messages as JSON.
// Input (stdin): [{ "filePath": "src/domain/x.ts", "code": "..." }, ...] — the files need not exist.
// Run as a child process by test/unit/lint-architecture.test.ts: ESLint loads eslint.config.mjs with a
// dynamic import(), which jest's module sandbox does not support.
// Type-aware rules are switched off (they need the file on disk; the layering rules do not use types).
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const eslint = new ESLint({ cwd: repoRoot, overrideConfig: tseslint.configs.disableTypeChecked });
const results = [];
for (const { filePath, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, filePath) });
  results.push({
    filePath,
    messages: (result?.messages ?? []).map(({ ruleId, message, fatal }) => ({ ruleId, message, fatal: !!fatal })),
  });
}
process.stdout.write(JSON.stringify(results));
