import { asApp, route } from '@forge/api';
import { kvs } from '@forge/kvs';
import { createSandbox, type Sandbox } from '../../../sandbox';
import { PlatformEmulator } from '../../../sandbox/platform/platform-emulator';
import type { SyncConfigInput } from '../../../src/domain/config';
import { computeFindingKey, type FindingState } from '../../../src/domain/finding-state';
import { buildEnqueueCallbackDeps } from '../../../src/composition';
import { callbackKeys } from '../../../src/storage/callback-keys';
import { configRepository } from '../../../src/storage/config-repository';
import { findingStateRepository } from '../../../src/storage/finding-state-repository';
import { keys } from '../../../src/storage/keys';
import { linkRepository } from '../../../src/storage/link-repository';
import { signingSecretRepository } from '../../../src/storage/signing-secret-repository';
import { notifyIssuesLinked } from '../../../src/usecases/enqueue-platform-callbacks';
import { kvsKeys } from '../findings/findings-sandbox';

/**
 * A sandbox wired to a running platform emulator that shares the app's signing secret. Linking an
 * issue stands in for the findings → Jira sync: the app creates the issue (its own write, so no
 * trigger sees it), stores the link and the finding's state, and queues `finding.issue_linked`.
 */

export const SHARED_SECRET = 'callback-test-secret-0123456789abcdefghij';

export type CallbackKit = {
  sandbox: Sandbox;
  platform: PlatformEmulator;
  users: Sandbox['jira']['users'];
  close(): Promise<void>;
  linkIssue(input: {
    findingId: string;
    projectKey?: string;
    issueType?: string;
    mappingId?: string;
    summary?: string;
  }): Promise<{ issueId: string; issueKey: string; findingKey: string }>;
  /** `linkIssue` for many findings at once, as the sync does it: one bulk create and one callback per ≤ 50. */
  linkIssues(
    inputs: Array<{ findingId: string; projectKey?: string; summary?: string }>,
  ): Promise<Array<{ issueId: string; issueKey: string; findingKey: string }>>;
  statusCallbacks(): Array<Record<string, unknown>>;
  acceptedOfType(type: string): Array<Record<string, unknown>>;
  kvsGet(key: string): Promise<unknown>;
  kvsKeys(prefix: string): Promise<string[]>;
};

export const baseConfig = (platformUrl: string): SyncConfigInput => ({
  defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug' },
  mappings: [
    {
      id: 'ops',
      match: { assetIds: ['asset-ops'] },
      projectKey: 'OPS',
      issueTypeName: 'Task',
      jiraStatusMap: {
        byCategory: {},
        rules: [
          { statusName: "Won't Fix", findingStatus: 'risk_accepted' },
          { statusName: "Won't Fix", resolutionName: 'Duplicate', findingStatus: 'false_positive' },
        ],
      },
    },
  ],
  jiraStatusMap: { rules: [{ resolutionName: "Won't Do", findingStatus: 'false_positive' }] },
  platform: { baseUrl: platformUrl, path: '/hooks/jira' },
});

export async function createCallbackKit(
  options: { config?: (url: string) => SyncConfigInput } = {},
): Promise<CallbackKit> {
  const platform = new PlatformEmulator(SHARED_SECRET);
  await platform.listen(0);
  const sandbox = createSandbox({ env: { PLATFORM_ORIGIN: platform.url }, jira: { seed: 'empty' } });
  platform.clock = () => sandbox.queues.now();
  await sandbox.runAsApp(async () => {
    await signingSecretRepository.createIfAbsent({ current: SHARED_SECRET, createdAt: new Date().toISOString() });
    const saved = await configRepository.save((options.config ?? baseConfig)(platform.url));
    if (!saved.ok) throw new Error(`test config invalid: ${JSON.stringify(saved.errors)}`);
  });

  const bodies = (list: PlatformEmulator['received']) => list.map((c) => c.json as Record<string, unknown>);
  return {
    sandbox,
    platform,
    users: sandbox.jira.users,
    async close() {
      await sandbox.close();
      await platform.close();
    },
    async linkIssue({ findingId, projectKey = 'SEC', issueType, mappingId, summary }) {
      const source = 'platform';
      const findingKey = computeFindingKey(source, findingId);
      const type = issueType ?? (projectKey === 'OPS' ? 'Task' : 'Bug');
      const mapping = mappingId ?? (projectKey === 'OPS' ? 'ops' : 'default');
      const created = await sandbox.runAsApp(async () => {
        const response = await asApp().requestJira(route`/rest/api/3/issue`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({
            fields: {
              project: { key: projectKey },
              issuetype: { name: type },
              summary: summary ?? `Finding ${findingId}`,
            },
          }),
        });
        if (response.status !== 201) throw new Error(`create failed ${response.status}: ${await response.text()}`);
        const issue = (await response.json()) as { id: string; key: string };
        const now = new Date().toISOString();
        await linkRepository.saveMany([
          {
            issueId: issue.id,
            issueKey: issue.key,
            findingId,
            source,
            findingKey,
            projectKey,
            mappingId: mapping,
            linkedAt: now,
          },
        ]);
        const state: FindingState = {
          findingKey,
          findingId,
          source,
          lane: mapping,
          outcome: 'linked',
          issueId: issue.id,
          issueKey: issue.key,
          projectKey,
          findingStatus: 'open',
          syncedAt: now,
        };
        await findingStateRepository.putMany([state]);
        await notifyIssuesLinked(
          [{ issueId: issue.id, issueKey: issue.key, findingId, source, projectKey, linkedAt: now }],
          buildEnqueueCallbackDeps(),
        );
        return issue;
      });
      return { issueId: created.id, issueKey: created.key, findingKey };
    },
    async linkIssues(inputs) {
      const source = 'platform';
      const out: Array<{ issueId: string; issueKey: string; findingKey: string }> = [];
      for (let i = 0; i < inputs.length; i += 50) {
        const group = inputs.slice(i, i + 50).map((input) => {
          const projectKey = input.projectKey ?? 'SEC';
          return {
            ...input,
            projectKey,
            findingKey: computeFindingKey(source, input.findingId),
            mappingId: projectKey === 'OPS' ? 'ops' : 'default',
            issueType: projectKey === 'OPS' ? 'Task' : 'Bug',
          };
        });
        const created = await sandbox.runAsApp(async () => {
          const response = await asApp().requestJira(route`/rest/api/3/issue/bulk`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({
              issueUpdates: group.map((g) => ({
                fields: {
                  project: { key: g.projectKey },
                  issuetype: { name: g.issueType },
                  summary: g.summary ?? `Finding ${g.findingId}`,
                },
              })),
            }),
          });
          const body = (await response.json()) as { issues: Array<{ id: string; key: string }>; errors: unknown[] };
          if (response.status !== 201 || body.errors.length > 0)
            throw new Error(`bulk create failed ${response.status}: ${JSON.stringify(body.errors)}`);
          const now = new Date().toISOString();
          const linked = group.map((g, index) => ({ ...g, issue: body.issues[index]! }));
          await linkRepository.saveMany(
            linked.map((l) => ({
              issueId: l.issue.id,
              issueKey: l.issue.key,
              findingId: l.findingId,
              source,
              findingKey: l.findingKey,
              projectKey: l.projectKey,
              mappingId: l.mappingId,
              linkedAt: now,
            })),
          );
          await findingStateRepository.putMany(
            linked.map((l): FindingState => ({
              findingKey: l.findingKey,
              findingId: l.findingId,
              source,
              lane: l.mappingId,
              outcome: 'linked',
              issueId: l.issue.id,
              issueKey: l.issue.key,
              projectKey: l.projectKey,
              findingStatus: 'open',
              syncedAt: now,
            })),
          );
          await notifyIssuesLinked(
            linked.map((l) => ({
              issueId: l.issue.id,
              issueKey: l.issue.key,
              findingId: l.findingId,
              source,
              projectKey: l.projectKey,
              linkedAt: now,
            })),
            buildEnqueueCallbackDeps(),
          );
          return linked;
        });
        out.push(...created.map((l) => ({ issueId: l.issue.id, issueKey: l.issue.key, findingKey: l.findingKey })));
      }
      return out;
    },
    statusCallbacks() {
      return bodies(platform.accepted()).filter((b) => b['type'] === 'finding.status_changed');
    },
    acceptedOfType(type) {
      return bodies(platform.accepted()).filter((b) => b['type'] === type);
    },
    kvsGet(key) {
      return sandbox.runAsApp(() => kvs.get(key));
    },
    kvsKeys: (prefix) => kvsKeys(sandbox, prefix),
  };
}

export { callbackKeys, keys };
