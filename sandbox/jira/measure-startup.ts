/**
 * Measures the Jira emulator's start-up with the OpenAPI document loaded:
 *   npx tsx sandbox/jira/measure-startup.ts
 * Prints wall time and memory for: creating the emulator (reads and patches the document), the
 * first create-issue call (compiles that operation's validators and the ADF schema), and compiling
 * every served operation (the worst case a long session reaches).
 */
import path from 'node:path';
import { createJiraEmulator, DEFAULT_SPEC_PATH } from './jira-emulator';
import { createOpenApiValidator } from './openapi-validator';
import { SERVED_OPERATIONS } from './route-table';

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

async function main(): Promise<void> {
  const before = process.memoryUsage();
  const t0 = performance.now();
  const emulator = createJiraEmulator({ seed: 'demo', onResponseWarning: () => undefined });
  const created = performance.now() - t0;

  const t1 = performance.now();
  const response = await emulator.handle(
    {
      method: 'POST',
      path: '/rest/api/3/issue',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fields: {
          project: { key: 'SEC' },
          issuetype: { name: 'Bug' },
          summary: 'x',
          description: { type: 'doc', version: 1, content: [] },
        },
      }),
    },
    { kind: 'app' },
  );
  const firstCall = performance.now() - t1;
  if (response.status !== 201) throw new Error(`first call failed: ${response.status} ${response.body}`);
  const afterFirst = process.memoryUsage();

  const t2 = performance.now();
  createOpenApiValidator(DEFAULT_SPEC_PATH, SERVED_OPERATIONS).compileAll();
  const compileAll = performance.now() - t2;
  const afterAll = process.memoryUsage();

  const result = {
    node: process.version,
    spec: path.relative(process.cwd(), emulator.specPath),
    servedOperations: SERVED_OPERATIONS.length,
    createEmulatorMs: Math.round(created),
    firstCreateIssueCallMs: Math.round(firstCall),
    startupTotalMs: Math.round(created + firstCall),
    compileAllOperationsMs: Math.round(compileAll),
    rssBeforeMb: mb(before.rss),
    rssAfterFirstCallMb: mb(afterFirst.rss),
    rssAfterCompileAllMb: mb(afterAll.rss),
    heapUsedAfterFirstCallMb: mb(afterFirst.heapUsed),
    heapUsedAfterCompileAllMb: mb(afterAll.heapUsed),
  };
  console.log(JSON.stringify(result, null, 2));
}

void main();
