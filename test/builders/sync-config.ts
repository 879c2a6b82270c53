import type { SyncConfigInput } from '../../src/domain/config';

/**
 * A configuration routing the sandbox's seeded projects: asset `web-*` → SEC Bug, `infra-*` → OPS Task, else SEC Task.
 */
export function buildSyncConfig(overrides: Partial<SyncConfigInput> = {}): SyncConfigInput {
  return {
    mappings: [
      { id: 'web', match: { assetNamePattern: 'web-*' }, projectKey: 'SEC', issueTypeName: 'Bug', labels: ['appsec'] },
      { id: 'infra', match: { assetNamePattern: 'infra-*' }, projectKey: 'OPS', issueTypeName: 'Task' },
    ],
    defaultMapping: { projectKey: 'SEC', issueTypeName: 'Task' },
    ...overrides,
  };
}
