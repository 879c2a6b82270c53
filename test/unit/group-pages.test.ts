import {
  memberBytes,
  planGroupPages,
  PAGE_APPEND_BYTES,
  PAGE_MAX_BYTES,
  type GroupLayout,
} from '../../src/domain/group-pages';
import type { GroupMember } from '../../src/domain/grouping';

const member = (i: number, location = `src/file-${i}.ts:${i}`): GroupMember => ({
  id: `finding-${i}`,
  source: 'platform',
  location,
  severity: 'medium',
  status: 'open',
  firstSeen: '2024-05-01T00:00:00.000Z',
  asset: 'web-shop',
});
const membersOf = (from: number, to: number, location?: (i: number) => string) =>
  Object.fromEntries(
    Array.from({ length: to - from }, (_, k) => [`key-${from + k}`, member(from + k, location?.(from + k))]),
  );
const overhead = () => 300;
const sizeOf = (entries: ReturnType<typeof planGroupPages>['pages'][number]) =>
  overhead() + entries.reduce((sum, entry) => sum + memberBytes(entry), 0);
function layoutOf(pages: ReturnType<typeof planGroupPages>['pages']): GroupLayout {
  const pageOf: Record<string, number> = {};
  pages.forEach((entries, page) => entries.forEach(([key]) => (pageOf[key] = page)));
  return { pageCount: pages.length, pageOf, pageHashes: pages.map(() => '') };
}

describe('group member pages', () => {
  it('5,000 typical members fill pages under the append budget, every member once', () => {
    const { pages, moved } = planGroupPages(membersOf(0, 5_000), undefined, overhead);
    expect(moved).toBe(0);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(sizeOf(page)).toBeLessThanOrEqual(PAGE_APPEND_BYTES);
    expect(new Set(pages.flatMap((p) => p.map(([key]) => key))).size).toBe(5_000);
  });

  it('members keep their page; newcomers go to the last page or a new one, never an earlier one', () => {
    const first = planGroupPages(membersOf(0, 2_000), undefined, overhead);
    const layout = layoutOf(first.pages);
    const next = planGroupPages(membersOf(0, 3_000), layout, overhead);
    for (const [key, page] of Object.entries(layout.pageOf))
      expect(next.pages[page]!.some(([k]) => k === key)).toBe(true);
    for (let page = 0; page < first.pages.length - 1; page++) expect(next.pages[page]).toEqual(first.pages[page]);
    expect(next.pages.length).toBeGreaterThan(first.pages.length);
  });

  it('a removed member leaves its page in place (page numbers never shift)', () => {
    const first = planGroupPages(membersOf(0, 2_000), undefined, overhead);
    const layout = layoutOf(first.pages);
    const fewer = membersOf(0, 2_000);
    for (const [key] of first.pages[0]!) delete fewer[key];
    const next = planGroupPages(fewer, layout, overhead);
    expect(next.pages).toHaveLength(first.pages.length);
    expect(next.pages[0]).toEqual([]);
    expect(next.pages[1]).toEqual(first.pages[1]);
  });

  it('a page grown past the hard limit by longer rows sheds its last members to a new page only', () => {
    const first = planGroupPages(membersOf(0, 900), undefined, overhead);
    expect(first.pages).toHaveLength(1);
    const longer = membersOf(0, 900, (i) => `${'x'.repeat(150)}-${i}`);
    const next = planGroupPages(longer, layoutOf(first.pages), overhead);
    expect(next.moved).toBeGreaterThan(0);
    for (const page of next.pages) expect(sizeOf(page)).toBeLessThanOrEqual(PAGE_MAX_BYTES);
    expect(
      next.pages
        .flat()
        .map(([key]) => key)
        .sort(),
    ).toEqual(Object.keys(longer).sort());
  });
});
