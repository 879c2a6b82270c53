import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, REPO_ROOT, type Sandbox } from '../../../sandbox';
import { PERSON_HEADER, type JiraState } from '../../../sandbox/jira';
import { sandboxClock } from '../../../sandbox/runtime/clock';
import { ensureAppSigningSecret } from '../../../src/composition';
import type { SyncConfigInput } from '../../../src/domain/config';
import type { Finding } from '../../../src/domain/finding';
import type { FindingState } from '../../../src/domain/finding-state';
import { signPayload } from '../../../src/domain/signature';
import { configRepository } from '../../../src/storage/config-repository';
import type { DeadLetter } from '../../../src/domain/dead-letter';
import { deadLetterRepository } from '../../../src/storage/dead-letter-repository';
import { findingStateRepository } from '../../../src/storage/finding-state-repository';
import { syncStatsRepository } from '../../../src/storage/sync-stats-repository';
import { scanPrefix } from '../../../src/storage/kvs-scan';
import { LANE_LEASE_SECONDS } from '../../../src/usecases/sync/lane-leases';
import { buildSyncConfig } from '../../builders/sync-config';

/** A sandbox running the real app for the findings → Jira tests, with a known signing secret. */

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
export const SARIF_DIR = path.resolve(REPO_ROOT, 'test', 'fixtures', 'sarif');

/** The app logs structured facts with console.log/warn; keep test output readable. */
export function quietAppLogs(): void {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
}

export async function createFindingsSandbox(options: { config?: SyncConfigInput | null } = {}): Promise<Sandbox> {
  const sandbox = createSandbox({ jira: { seed: 'empty' } });
  await sandbox.runAsApp(() => ensureAppSigningSecret({ initial: TEST_SECRET }));
  if (options.config !== null) await setConfig(sandbox, options.config ?? buildSyncConfig());
  return sandbox;
}

/**
 * A findings sandbox on a Jira site changed by `editSite` (e.g. a project's edit screen): the site
 * is saved, edited as JSON and restored, as a sandbox restart would (the emulator checks it with zod).
 */
export async function createFindingsSandboxOnSite(
  editSite: (jira: JiraState) => void,
  options: { config?: SyncConfigInput } = {},
): Promise<Sandbox> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'findings-site-'));
  const seed = createSandbox({ dataDir, fresh: true, jira: { seed: 'empty' } });
  await seed.close();
  const file = path.join(dataDir, 'state.json');
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { jira: JiraState };
  editSite(saved.jira);
  writeFileSync(file, JSON.stringify(saved));
  const sandbox = createSandbox({ dataDir, jira: { seed: 'empty' } });
  await sandbox.runAsApp(() => ensureAppSigningSecret({ initial: TEST_SECRET }));
  await setConfig(sandbox, options.config ?? buildSyncConfig());
  return sandbox;
}

export async function setConfig(sandbox: Sandbox, config: SyncConfigInput): Promise<void> {
  const saved = await sandbox.runAsApp(() => configRepository.save(config));
  if (!saved.ok) throw new Error(`test config invalid: ${JSON.stringify(saved.errors)}`);
}

export type PostOptions = {
  contentType?: string;
  query?: string;
  secret?: string;
  t?: number;
  signature?: string | null;
  method?: string;
  headerName?: string;
};

export type PostResult = { status: number; json: Record<string, unknown> };

export async function postRaw(sandbox: Sandbox, body: string, options: PostOptions = {}): Promise<PostResult> {
  const t = options.t ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature === undefined ? signPayload(options.secret ?? TEST_SECRET, body, t) : options.signature;
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/json' };
  if (signature !== null) headers[options.headerName ?? 'X-Signature'] = signature;
  const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
    method: options.method ?? 'POST',
    pathAndQuery: options.query ?? '/',
    headers,
    body,
  });
  const text = response.body?.toString() ?? '';
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export function postFindings(sandbox: Sandbox, payload: unknown, options: PostOptions = {}): Promise<PostResult> {
  return postRaw(sandbox, JSON.stringify(payload), options);
}

export function batch(findings: Array<Partial<Finding> & { id: string }>, source = 'conviso') {
  return { source, findings };
}

/** Every issue the emulator holds, with the link property. */
export async function jiraIssues(
  sandbox: Sandbox,
): Promise<Array<{ id: string; key: string; fields: Record<string, unknown>; properties?: Record<string, unknown> }>> {
  const issues: Array<{
    id: string;
    key: string;
    fields: Record<string, unknown>;
    properties?: Record<string, unknown>;
  }> = [];
  // Jira's search index lags behind writes; an observer reads what Jira holds: each search names
  // the issues it expects in `reconcileIssues` (≤ 50 at a time), as Atlassian's read-after-write
  // guidance says. Marked as a person's call so it does not draw on the app's points quota.
  const snapshot = sandbox.jira.snapshot();
  for (const project of snapshot.projects) {
    const ids = snapshot.issues.filter((i) => i.projectId === project.id).map((i) => Number(i.id));
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = ids.slice(i, i + 50);
      const response = await sandbox.jira.handle(
        {
          method: 'POST',
          path: '/rest/api/3/search/jql',
          headers: { 'content-type': 'application/json', [PERSON_HEADER]: '1' },
          body: JSON.stringify({
            jql: `project = ${project.key} AND id in (${chunk.join(', ')}) ORDER BY key ASC`,
            fields: ['summary', 'status', 'labels', 'priority', 'assignee', 'description', 'resolution', 'comment'],
            properties: ['findingSyncLink'],
            maxResults: 100,
            reconcileIssues: chunk,
          }),
        },
        { kind: 'app' },
      );
      const body = JSON.parse(response.body ?? '{}') as { issues: typeof issues };
      issues.push(...body.issues);
    }
  }
  return issues;
}

export function findingIdsOf(issues: Awaited<ReturnType<typeof jiraIssues>>): string[] {
  return issues
    .map((issue) => (issue.properties?.['findingSyncLink'] as { findingId?: string } | undefined)?.findingId ?? '?')
    .sort();
}

export async function deadLetters(sandbox: Sandbox): Promise<DeadLetter[]> {
  return sandbox.runAsApp(async () => {
    const out: DeadLetter[] = [];
    let cursor: string | undefined;
    do {
      const page = await deadLetterRepository.list({ limit: 100, ...(cursor ? { cursor } : {}) });
      out.push(...page.letters);
      cursor = page.cursor;
    } while (cursor);
    return out;
  });
}

export async function findingStates(sandbox: Sandbox, findingKeys: string[]): Promise<Map<string, FindingState>> {
  return sandbox.runAsApp(() => findingStateRepository.getMany(findingKeys));
}

export async function totals(sandbox: Sandbox) {
  return sandbox.runAsApp(() => syncStatsRepository.totals());
}

export async function kvsKeys(sandbox: Sandbox, prefix: string): Promise<string[]> {
  return sandbox.runAsApp(async () => {
    const out: string[] = [];
    for await (const { key } of scanPrefix(prefix)) out.push(key);
    return out;
  });
}

export function jiraWrites(sandbox: Sandbox): number {
  return sandbox.jira.counters.writes;
}

/** The sync queue's pending events, shaped as Forge hands them to the consumer. */
export function pendingSyncEvents(sandbox: Sandbox) {
  return sandbox.queues
    .pending('finding-sync')
    .map((e) => ({ body: e.body, queueName: e.queueName, jobId: e.jobId, eventId: e.eventId }));
}

/** Calls the sync consumer directly, optionally crashing it after its n-th SDK call. */
export function invokeConsumer(sandbox: Sandbox, event: unknown, killAfterSdkCalls?: number) {
  return sandbox.invoke('sync-consumer', [event, {}], {
    moduleKey: 'finding-sync-consumer',
    ...(killAfterSdkCalls !== undefined ? { killAfterSdkCalls } : {}),
  });
}

/**
 * Skips the sandbox's one clock past the lane lease of a consumer that died holding it (60 s, plus the takeover's
 * 5 s grace). Everything moves with it: KVS TTLs, the queues, Jira's search index and the app's own `new Date()`.
 */
export async function afterLeaseExpiry(run: () => Promise<void>): Promise<void> {
  sandboxClock.advance((LANE_LEASE_SECONDS + 6) * 1000);
  await run();
}
