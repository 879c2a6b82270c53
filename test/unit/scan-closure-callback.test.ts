import { PlatformCallbackSchema } from '../../src/domain/callback-events';
import { buildGroupScanClosureCallbacks } from '../../src/domain/scan-closure-callback';

describe('group members closed by a complete scan → platform callbacks', () => {
  const input = (ids: string[], scanId = 'scan-1') => ({
    closedBy: { scanId, label: 'conviso: semgrep on web-shop', receivedAt: '2024-05-01T00:00:00.000Z' },
    group: { id: 'grp-1', label: 'xml-injection' },
    members: ids.map((id) => ({ id, source: 'conviso' })),
    issue: { id: '10001', key: 'SEC-1', projectKey: 'SEC' },
    jira: { statusId: '1', statusName: 'To Do', statusCategory: 'new', resolution: null },
    occurredAt: '2024-05-01T00:01:00.000Z',
  });
  const ids = (n: number, prefix = 'f') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  it('≤ 50 members per callback, each a valid finding.status_changed naming the group issue', () => {
    const callbacks = buildGroupScanClosureCallbacks(input(ids(120)));
    expect(callbacks.map((c) => c.links!.length)).toEqual([50, 50, 20]);
    for (const [index, callback] of callbacks.entries()) {
      expect(PlatformCallbackSchema.safeParse(callback).success).toBe(true);
      expect(callback).toMatchObject({
        findingStatus: 'resolved',
        actor: null,
        group: { id: 'grp-1', label: 'xml-injection' },
        batch: { index, count: 3, of: callbacks[0]!.id },
        issue: { key: 'SEC-1' },
      });
      expect(callback.finding).toBeUndefined();
    }
    expect(new Set(callbacks.flatMap((c) => c.links!.map((l) => l.finding.id))).size).toBe(120);
  });

  it('ids: the same members of the same scan → the same ids, in any order; other members or scan → others', () => {
    const first = buildGroupScanClosureCallbacks(input(ids(3))).map((c) => c.id);
    expect(buildGroupScanClosureCallbacks(input(ids(3).reverse())).map((c) => c.id)).toEqual(first);
    expect(buildGroupScanClosureCallbacks(input(ids(3, 'g'))).map((c) => c.id)).not.toEqual(first);
    expect(buildGroupScanClosureCallbacks(input(ids(3), 'scan-2')).map((c) => c.id)).not.toEqual(first);
  });
});
