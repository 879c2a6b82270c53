import { DEFAULT_PLATFORM_OWNED, OWNED_FIELDS } from '../../src/domain/config';
import type { Finding } from '../../src/domain/finding';
import { computeFingerprint, diffFingerprints } from '../../src/domain/fingerprint';
import { buildFinding } from '../builders/finding';

describe('computeFingerprint', () => {
  const base = buildFinding();
  const owned = DEFAULT_PLATFORM_OWNED;

  it('is deterministic and ignores key order, id and updatedAt', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as Finding;
    const reposted = { ...base, id: 'other-id', updatedAt: '2030-01-01T00:00:00.000Z' };
    expect(computeFingerprint(reordered, owned)).toEqual(computeFingerprint(base, owned));
    expect(computeFingerprint(reposted, owned)).toEqual(computeFingerprint(base, owned));
    expect(computeFingerprint(base, owned).value).toMatch(/^v1:[0-9a-f]{32}$/);
  });

  it.each<[string, Partial<Finding>, string[]]>([
    ['title', { title: 'New title' }, ['summary', 'customFields']],
    ['description', { description: 'changed' }, ['description']],
    ['severity', { severity: 'critical' }, ['description', 'labels', 'customFields']],
    ['status', { status: 'resolved' }, ['status', 'customFields']],
    ['first CVE', { cve: ['CVE-2024-0001'] }, ['summary', 'description', 'customFields']],
    ['scanner', { scanner: 'Semgrep' }, ['description', 'labels', 'customFields']],
    ['an attribute', { attributes: { team: 'identity', riskScore: 72 } }, ['customFields']],
    ['owner (Jira-owned by default)', { owner: { accountId: 'abc' } }, ['customFields']],
  ])('a changed %s changes exactly the groups that use it', (_label, change, changed) => {
    const before = computeFingerprint(base, owned);
    const after = computeFingerprint({ ...base, ...change }, owned);
    expect(diffFingerprints(before, after).sort()).toEqual([...changed].sort());
    expect(after.value).not.toBe(before.value);
  });

  it('covers only the mapped sources when they are given', () => {
    const sources = ['attributes.team'] as const;
    const before = computeFingerprint(base, ['customFields'], sources);
    expect(
      diffFingerprints(
        before,
        computeFingerprint({ ...base, attributes: { ...base.attributes, riskScore: 1 } }, ['customFields'], sources),
      ),
    ).toEqual([]);
    expect(
      diffFingerprints(
        before,
        computeFingerprint({ ...base, attributes: { ...base.attributes, team: 'x' } }, ['customFields'], sources),
      ),
    ).toEqual(['customFields']);
  });

  it('includes priority, assignee and due date only when the platform owns them', () => {
    expect(Object.keys(computeFingerprint(base, owned).parts).sort()).toEqual([
      'customFields',
      'description',
      'labels',
      'status',
      'summary',
    ]);
    expect(Object.keys(computeFingerprint(base, OWNED_FIELDS).parts).sort()).toEqual(
      [...OWNED_FIELDS, 'status'].sort(),
    );
    const withOwner = computeFingerprint(base, ['assignee']);
    expect(
      diffFingerprints(withOwner, computeFingerprint({ ...base, owner: { accountId: 'x' } }, ['assignee'])),
    ).toEqual(['assignee']);
  });

  it('reports every part as changed when there is no previous fingerprint or it is from another version', () => {
    const next = computeFingerprint(base, owned);
    expect(diffFingerprints(undefined, next).sort()).toEqual([
      'customFields',
      'description',
      'labels',
      'status',
      'summary',
    ]);
    expect(diffFingerprints({ value: 'v0:abc', parts: next.parts }, next)).toHaveLength(5);
  });
});
