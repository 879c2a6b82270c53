/**
 * Crash recovery under Jira's lagging search index: 500 seeded trials that kill the sync consumer after a random
 * SDK call (`test/integration/findings/crash-trials.ts`; CI runs 120 of them). Writes
 * `bench/results/crash-trials.json`. Options: `--trials N --seed N`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installForgeGlobals } from '../sandbox/runtime/globals';

installForgeGlobals(); // before anything loads @forge/api

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { trials: { type: 'string' }, seed: { type: 'string' } } });
  const trials = Number(values.trials ?? 500);
  const seed = Number(values.seed ?? 20260302);
  const { REPO_ROOT } = await import('../sandbox');
  const { createFindingsSandbox } = await import('../test/integration/findings/findings-sandbox');
  const { runCrashTrials } = await import('../test/integration/findings/crash-trials');
  // Read before the trials: the sandbox's one clock skips the waits they contain (days of lease expiries).
  const at = new Date().toISOString();
  console.log(`crash trials: ${trials}, seed ${seed} (--seed ${seed} to replay)`);
  const started = performance.now();
  const sandbox = await createFindingsSandbox();
  const result = await runCrashTrials(sandbox, seed, trials);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const summary = { ...result, duplicates: result.duplicates.length, lost: result.lost.length, seconds };
  const file = path.join(REPO_ROOT, 'bench', 'results', 'crash-trials.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ at, node: process.version, ...summary }, null, 2)}\n`);
  console.log(JSON.stringify(summary));
  await sandbox.close();
  if (result.duplicates.length > 0 || result.lost.length > 0) {
    console.error(`duplicates: ${result.duplicates.join(', ')}; lost: ${result.lost.join(', ')}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
