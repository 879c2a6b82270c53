import { buildFinding } from '../builders/finding';
import {
  computeContentHash,
  computeFindingKey,
  judgeRepost,
  upgradeFindingState,
  type FindingState,
  type StoredFindingState,
} from '../../src/domain/finding-state';
import { findHostileJsonShape } from '../../src/domain/json-shape';
import { chunkWorkItems } from '../../src/domain/work-chunks';
import { activeSecrets } from '../../src/usecases/signing-secrets';

const KVS_KEY = /^[a-zA-Z0-9:._\s\-#]+$/;

describe('computeFindingKey', () => {
  it.each([
    ['conviso', 'f-1'],
    ['conviso', 'repo/path/with/slashes#and spaces'],
    ['sarif', 'ünïcødé/🙂'],
  ])('is a KVS-safe, stable hash of (%s, %s)', (source, id) => {
    const key = computeFindingKey(source, id);
    expect(key).toMatch(KVS_KEY);
    expect(key).toBe(computeFindingKey(source, id));
    expect(key).not.toBe(computeFindingKey(`${source}x`, id));
  });

  it('does not collide when source and id shift characters', () => {
    expect(computeFindingKey('ab', 'c')).not.toBe(computeFindingKey('a', 'bc'));
  });
});

describe('judgeRepost', () => {
  const finding = buildFinding({ updatedAt: '2024-05-02T00:00:00Z' });
  const hash = computeContentHash(finding);
  // Records in the shape stored before the state union, upgraded as the repository reads them.
  const state = (overrides: Partial<StoredFindingState>): FindingState =>
    upgradeFindingState({
      findingKey: 'fk',
      findingId: finding.id,
      source: 's',
      lane: 'web',
      syncedAt: '2024-05-02T00:00:00Z',
      contentHash: hash,
      updatedAt: '2024-05-02T00:00:00Z',
      configRevision: 3,
      issueId: '10001',
      issueKey: 'SEC-1',
      ...overrides,
    });
  it.each<[string, FindingState | undefined, number, string]>([
    ['no state', undefined, 3, 'new'],
    ['linked, same content', state({ outcome: 'linked' }), 3, 'duplicate'],
    ['linked, same content, new config', state({ outcome: 'linked' }), 4, 'duplicate'],
    ['linked, other content', state({ outcome: 'linked', contentHash: 'other' }), 3, 'new'],
    ['skipped under this config', state({ outcome: 'skipped' }), 3, 'duplicate'],
    ['skipped under an older config', state({ outcome: 'skipped' }), 4, 'new'],
    ['unrouted under an older config', state({ outcome: 'unrouted' }), 4, 'new'],
    ['dead letter (a re-post retries)', state({ outcome: 'dead' }), 3, 'new'],
    ['pending create', state({ outcome: 'linked', pendingCreateSince: '2024-05-02T00:00:00Z' }), 3, 'new'],
    [
      'newer version known',
      state({ outcome: 'linked', updatedAt: '2024-05-03T00:00:00Z', contentHash: 'other' }),
      3,
      'stale',
    ],
  ])('%s → %s', (_label, current, revision, expected) => {
    expect(judgeRepost(finding, hash, current, revision)).toBe(expected);
  });

  it('ignores updatedAt in the content hash', () => {
    expect(computeContentHash({ ...finding, updatedAt: '2030-01-01T00:00:00Z' })).toBe(hash);
    expect(computeContentHash({ ...finding, title: 'other' })).not.toBe(hash);
  });
});

describe('chunkWorkItems', () => {
  const item = (i: number, lane: string, description = '') => ({
    lane,
    findingKey: `k${i}`,
    source: 's',
    finding: buildFinding({ id: `f${i}`, description }),
  });

  it('never mixes lanes and never exceeds 50 findings per chunk', () => {
    const items = [...Array.from({ length: 120 }, (_, i) => item(i, i % 3 === 0 ? 'a' : 'b'))];
    const chunks = chunkWorkItems(items);
    expect(chunks.map((c) => [c.lane, c.items.length])).toEqual([
      ['a', 40],
      ['b', 50],
      ['b', 30],
    ]);
    expect(chunks.flatMap((c) => c.items.map((i) => i.findingKey)).sort()).toEqual(
      items.map((i) => i.findingKey).sort(),
    );
  });

  it('puts a group’s members together, in first-seen group order, ungrouped findings last', () => {
    // 200 findings interleaving 20 groups: in order, every chunk of 50 would touch all 20 groups.
    const items = Array.from({ length: 200 }, (_, i) => ({
      ...item(i, 'a'),
      ...(i % 10 === 9 ? {} : { groupId: `g${i % 20}` }),
    }));
    const chunks = chunkWorkItems(items);
    expect(chunks.map((c) => c.items.length)).toEqual([50, 50, 50, 50]);
    const groupOf = new Map(items.map((i) => [i.findingKey, i.groupId ?? '-']));
    const groupsPerChunk = chunks.map((c) => new Set(c.items.map((i) => groupOf.get(i.findingKey))).size);
    expect(groupsPerChunk).toEqual([5, 5, 5, 4]); // 18 groups of 10 members, then the 20 ungrouped
    const order = chunks.flatMap((c) => c.items.map((i) => groupOf.get(i.findingKey)));
    expect(order.slice(0, 10)).toEqual(Array(10).fill('g0'));
    expect(order.slice(-20)).toEqual(Array(20).fill('-'));
    expect(order.slice(10, 20)).toEqual(Array(10).fill('g1'));
    expect(chunks[0]!.items[0]).toEqual({ findingKey: 'k0', source: 's', finding: items[0]!.finding });
  });

  it('closes a chunk before it would exceed the byte limit', () => {
    const big = Array.from({ length: 10 }, (_, i) => item(i, 'a', 'x'.repeat(15_000)));
    const chunks = chunkWorkItems(big, { maxFindings: 50, maxBytes: 50_000 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(Buffer.byteLength(JSON.stringify(chunk.items))).toBeLessThanOrEqual(50_000);
  });
});

describe('findHostileJsonShape maxStringLength', () => {
  it.each([
    [{ a: 'x'.repeat(11) }, { path: 'a', message: 'String is longer than 10 characters' }],
    [{ ['k'.repeat(11)]: 1 }, { path: '', message: 'A key is longer than 10 characters' }],
    [{ a: ['short', 'x'.repeat(10)] }, undefined],
  ])('%#', (value, expected) => {
    expect(
      findHostileJsonShape(value, { maxDepth: 8, maxArrayLength: 10, maxKeysPerObject: 10, maxStringLength: 10 }),
    ).toEqual(expected);
  });
});

describe('activeSecrets', () => {
  const stored = {
    current: 'c'.repeat(32),
    createdAt: '2024-01-01T00:00:00Z',
    previous: 'p'.repeat(32),
    previousExpiresAt: '2024-01-02T00:00:00Z',
  };
  it.each([
    ['during the grace period', '2024-01-01T12:00:00Z', { current: 'c'.repeat(32), previous: 'p'.repeat(32) }],
    ['after it', '2024-01-02T00:00:01Z', { current: 'c'.repeat(32) }],
  ])('%s', (_label, now, expected) => {
    expect(activeSecrets(stored, new Date(now))).toEqual(expected);
  });
});
