import { parseSyncConfig, type SyncConfig } from '../../src/domain/config';
import type { Finding } from '../../src/domain/finding';
import { computeContentHash, type FindingState } from '../../src/domain/finding-state';
import { triageChunk } from '../../src/domain/sync-triage';
import { buildFinding } from '../builders/finding';
import { buildSyncConfig } from '../builders/sync-config';

function config(overrides: Parameters<typeof buildSyncConfig>[0] = {}): SyncConfig {
  const parsed = parseSyncConfig(buildSyncConfig(overrides));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

const NOW = new Date('2024-06-01T00:00:00Z');
const moment = { now: NOW, configRevision: 7 };
const item = (finding: Finding) => ({ findingKey: `fk-${finding.id}`, source: 'conviso', finding });
const base = { findingKey: 'fk-f', findingId: 'f', source: 'conviso', lane: 'web', syncedAt: '2024-05-01T00:00:00Z' };
const linked: FindingState = { ...base, outcome: 'linked', issueId: '10001', issueKey: 'SEC-1', projectKey: 'SEC' };
const deleted: FindingState = { ...base, outcome: 'issue-deleted', issueId: '10001', issueKey: 'SEC-1' };
const pending: FindingState = { ...base, outcome: 'pending', pendingCreateSince: '2024-05-01T00:00:00Z' };
const dead: FindingState = { ...base, outcome: 'dead', reason: 'Jira refused the issue (400) because of field(s) x' };
const skipped: FindingState = { ...base, outcome: 'skipped', reason: 'low findings do not create issues' };

type Row = [
  label: string,
  finding: Partial<Finding>,
  state: FindingState | undefined,
  config: SyncConfig,
  expected: { path: 'create' | 'update' | 'settled'; outcome?: string; written?: string; lane?: string },
];

describe('triageChunk', () => {
  const web = { asset: { id: 'w', name: 'web-shop' } };
  const mainframe = { asset: { id: 'x', name: 'mainframe' } };
  const recreate = config({ onDeletedIssue: 'recreate' });
  const highOnly = config({ autoCreate: { mode: 'severities', severities: ['critical', 'high'] } });
  it.each<Row>([
    ['new finding, routed, policy creates', web, undefined, config(), { path: 'create', lane: 'web' }],
    [
      'no mapping matches',
      mainframe,
      undefined,
      config({ defaultMapping: undefined }),
      { path: 'settled', outcome: 'unrouted', written: 'unrouted' },
    ],
    [
      'below the severity policy',
      { ...web, severity: 'low' },
      undefined,
      highOnly,
      { path: 'settled', outcome: 'skipped', written: 'skipped' },
    ],
    [
      'already closed on the platform',
      { ...web, status: 'resolved' },
      undefined,
      config(),
      { path: 'settled', outcome: 'skipped', written: 'skipped' },
    ],
    ['linked → update', web, linked, config(), { path: 'update' }],
    ['linked, even if the policy would skip it now', { ...web, severity: 'low' }, linked, highOnly, { path: 'update' }],
    [
      'older version than the one processed',
      { ...web, updatedAt: '2024-04-01T00:00:00Z' },
      { ...linked, updatedAt: '2024-05-01T00:00:00Z' },
      config(),
      { path: 'settled', outcome: 'unchanged' },
    ],
    [
      'stale even when dead',
      { ...web, updatedAt: '2024-04-01T00:00:00Z' },
      { ...dead, updatedAt: '2024-05-01T00:00:00Z' },
      config(),
      { path: 'settled', outcome: 'unchanged' },
    ],
    [
      'issue deleted, policy ignore',
      web,
      deleted,
      config(),
      { path: 'settled', outcome: 'unchanged', written: 'issue-deleted' },
    ],
    ['issue deleted, policy recreate', web, deleted, recreate, { path: 'create', lane: 'web' }],
    ['pending mark → create (searches first)', web, pending, config(), { path: 'create', lane: 'web' }],
    ['dead letter → create again', web, dead, config(), { path: 'create', lane: 'web' }],
    ['skipped before, policy now creates', web, skipped, config(), { path: 'create', lane: 'web' }],
    [
      'routed to the default mapping',
      { asset: { id: 'o', name: 'other' } },
      undefined,
      config(),
      { path: 'create', lane: 'default' },
    ],
  ])('%s', (_label, overrides, state, cfg, expected) => {
    const it = item(buildFinding({ id: 'f', ...overrides }));
    const states = new Map(state ? [[it.findingKey, { ...state, findingKey: it.findingKey }]] : []);
    const triage = triageChunk({ items: [it], states, config: cfg, moment });
    const path = triage.creates.length > 0 ? 'create' : triage.updates.length > 0 ? 'update' : 'settled';
    const settled = triage.settled[0];
    expect({
      path,
      ...(settled ? { outcome: settled.outcome } : {}),
      ...(settled?.state ? { written: settled.state.outcome } : {}),
      ...(triage.creates[0] ? { lane: triage.creates[0].mapping.id } : {}),
    }).toEqual(expected);
  });

  it('groups creates by routing target in the order the chunk names them', () => {
    const items = [
      item(buildFinding({ id: 'a', asset: { id: 'i', name: 'infra-db' } })),
      item(buildFinding({ id: 'b', asset: { id: 'w', name: 'web-shop' } })),
      item(buildFinding({ id: 'c', asset: { id: 'i', name: 'infra-net' } })),
    ];
    const triage = triageChunk({ items, states: new Map(), config: config(), moment });
    expect(triage.creates.map((g) => [g.mapping.id, g.entries.map((e) => e.item.finding.id)])).toEqual([
      ['infra', ['a', 'c']],
      ['web', ['b']],
    ]);
  });

  it('settles skipped and unrouted findings with this version, so an identical re-post is a duplicate', () => {
    const finding = buildFinding({ id: 'f', severity: 'low', asset: { id: 'w', name: 'web-shop' } });
    const input = {
      items: [item(finding)],
      states: new Map(),
      config: config({ autoCreate: { mode: 'none' } }),
      moment,
    };
    const [settled] = triageChunk(input).settled;
    expect(settled?.state).toMatchObject({
      outcome: 'skipped',
      lane: 'web',
      updatedAt: finding.updatedAt,
      syncedAt: NOW.toISOString(),
      settled: { contentHash: computeContentHash(finding), configRevision: 7 },
    });
  });

  it('is pure: the same input gives the same triage and leaves the states as they were', () => {
    const it1 = item(buildFinding({ id: 'f', asset: { id: 'w', name: 'web-shop' } }));
    const states = new Map([[it1.findingKey, { ...deleted, findingKey: it1.findingKey }]]);
    const before = JSON.stringify([...states]);
    const input = { items: [it1], states, config: config(), moment };
    expect(JSON.stringify(triageChunk(input))).toBe(JSON.stringify(triageChunk(input)));
    expect(JSON.stringify([...states])).toBe(before);
  });
});
