import { SyncConfigSchema } from '../../src/domain/config';
import { decidePolicy } from '../../src/domain/policy';
import { matchesGlob, routeFinding } from '../../src/domain/routing';
import { buildFinding } from '../builders/finding';

describe('matchesGlob', () => {
  it.each([
    ['web-*', 'web-frontend', true],
    ['WEB-*', 'web-frontend', true],
    ['*-api', 'payments-api', true],
    ['*-api', 'payments-api-v2', false],
    ['svc-??', 'svc-01', true],
    ['svc-??', 'svc-1', false],
    ['*', '', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(matchesGlob(pattern, value)).toBe(expected);
  });

  // A backtracking matcher needs ~2^100 steps here and never returns: the test hangs instead of passing.
  it('answers a pathological pattern (no exponential backtracking)', () => {
    expect(matchesGlob('*a'.repeat(100) + 'b', 'a'.repeat(200))).toBe(false);
  });
});

describe('routeFinding', () => {
  const config = SyncConfigSchema.parse({
    mappings: [
      { id: 'by-pattern', match: { assetNamePattern: 'web-*' }, projectKey: 'WEB', issueTypeName: 'Bug' },
      { id: 'by-id', match: { assetIds: ['asset-web', 'asset-2'] }, projectKey: 'SEC', issueTypeName: 'Bug' },
    ],
    defaultMapping: { projectKey: 'OPS', issueTypeName: 'Task' },
  });
  const withoutDefault = SyncConfigSchema.parse({ mappings: config.mappings });

  it.each([
    [
      'an asset id match wins over an earlier name pattern',
      { id: 'asset-web', name: 'web-frontend' },
      'by-id',
      'assetId',
    ],
    ['a name pattern', { id: 'asset-9', name: 'Web-Shop' }, 'by-pattern', 'assetName'],
    ['no match → default', { id: 'asset-9', name: 'backend' }, 'default', 'default'],
    ['no asset → default', undefined, 'default', 'default'],
  ])('%s', (_label, asset, mappingId, matchedBy) => {
    const result = routeFinding(buildFinding({ asset }), config);
    expect(result).toMatchObject({ routed: true, matchedBy, mapping: { id: mappingId } });
  });

  it.each([
    [
      'no match and no default',
      { id: 'a-1', name: 'backend' },
      'no-match',
      'No project mapping matches asset "backend" (a-1) and there is no default mapping',
    ],
    ['no asset and no default', undefined, 'no-asset', 'The finding names no asset and there is no default mapping'],
  ])('%s → unrouted', (_label, asset, reason, message) => {
    expect(routeFinding(buildFinding({ asset }), withoutDefault)).toEqual({ routed: false, reason, message });
  });
});

describe('decidePolicy', () => {
  const config = (autoCreate: unknown) => SyncConfigSchema.parse({ autoCreate });
  const severities = { mode: 'severities', severities: ['critical', 'high'] };

  it.each([
    ['all, open high', { mode: 'all' }, undefined, 'high', 'open', { action: 'create' }],
    ['all, reopened', { mode: 'all' }, undefined, 'low', 'reopened', { action: 'create' }],
    ['severity in the set', severities, undefined, 'critical', 'open', { action: 'create' }],
    [
      'severity below the set',
      severities,
      undefined,
      'medium',
      'open',
      {
        action: 'skip',
        reason: 'severity-below-policy',
        message: 'medium findings do not create issues automatically (policy: critical, high)',
      },
    ],
    [
      'none',
      { mode: 'none' },
      undefined,
      'critical',
      'open',
      { action: 'skip', reason: 'auto-create-disabled', message: 'Automatic issue creation is turned off' },
    ],
    ['mapping override allows', { mode: 'none' }, { mode: 'all' }, 'info', 'open', { action: 'create' }],
    [
      'mapping override restricts',
      { mode: 'all' },
      severities,
      'low',
      'in_progress',
      {
        action: 'skip',
        reason: 'severity-below-policy',
        message: 'low findings do not create issues automatically (policy: critical, high)',
      },
    ],
    [
      'already resolved',
      { mode: 'all' },
      undefined,
      'critical',
      'resolved',
      { action: 'skip', reason: 'closed-status', message: 'The finding is already resolved on the platform' },
    ],
    [
      'false positive',
      { mode: 'all' },
      undefined,
      'critical',
      'false_positive',
      { action: 'skip', reason: 'closed-status', message: 'The finding is already false positive on the platform' },
    ],
    [
      'risk accepted',
      { mode: 'all' },
      undefined,
      'critical',
      'risk_accepted',
      { action: 'skip', reason: 'closed-status', message: 'The finding is already risk accepted on the platform' },
    ],
  ] as const)('%s', (_label, global, override, severity, status, expected) => {
    const cfg = config(global);
    const mapping = override ? { autoCreate: SyncConfigSchema.parse({ autoCreate: override }).autoCreate } : undefined;
    expect(decidePolicy(buildFinding({ severity, status }), mapping, cfg)).toEqual(expected);
  });
});
