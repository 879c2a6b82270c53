import type { GroupMember } from './grouping';

/**
 * A group's members on KVS pages, pure. One KVS value holds at most 240 KiB (UTF-8 JSON), about 850
 * typical members, so a bigger group is stored as a head (`group:<id>`: the group and page 0 of its
 * members) plus member pages 1…n-1 (`group-page:<id>:<n>`).
 *
 * A member, once on a page, stays there (its row is rewritten in place); new members are appended to
 * the last page while it stays under `PAGE_APPEND_BYTES`, then to a new page. Only a page that grew past
 * `PAGE_MAX_BYTES` because rows were rewritten longer sheds its last members to new pages. With the
 * repository's write order (new pages, then the head, then changed old pages) a crash at any step loses
 * no member: an old member is never only on a page the head does not count yet.
 */

export const PAGE_APPEND_BYTES = 200_000;
export const PAGE_MAX_BYTES = 230_000;

/** Where the stored record's members were read from: page count, each member's page, each page's hash. */
export type GroupLayout = { pageCount: number; pageOf: Record<string, number>; pageHashes: string[] };

export type MemberEntry = [string, GroupMember];

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes one member adds to a page's JSON (`"key":{…},`). */
export function memberBytes([key, member]: MemberEntry): number {
  return utf8Bytes(JSON.stringify(key)) + utf8Bytes(JSON.stringify(member)) + 2;
}

/**
 * The pages for `members`: every member whose page is known stays on it, newcomers are appended.
 * `overheadBytes[i]` is what page i holds besides members (page 0: the head's fields). Pages that
 * existed are kept even when empty, so page numbers never shift.
 */
export function planGroupPages(
  members: Readonly<Record<string, GroupMember>>,
  layout: GroupLayout | undefined,
  overheadBytes: (page: number) => number,
): { pages: MemberEntry[][]; moved: number } {
  const existing = Math.max(1, layout?.pageCount ?? 1);
  const pages: MemberEntry[][] = Array.from({ length: existing }, () => []);
  const sizes: number[] = Array.from({ length: existing }, (_, i) => overheadBytes(i));
  const newcomers: MemberEntry[] = [];
  for (const entry of Object.entries(members)) {
    const page = layout?.pageOf[entry[0]];
    if (page !== undefined && page < existing) {
      pages[page]!.push(entry);
      sizes[page]! += memberBytes(entry);
    } else newcomers.push(entry);
  }
  let moved = 0;
  const shed: MemberEntry[] = [];
  for (let i = 0; i < pages.length; i++) {
    if (sizes[i]! <= PAGE_MAX_BYTES) continue;
    while (sizes[i]! > PAGE_APPEND_BYTES && pages[i]!.length > 0) {
      const entry = pages[i]!.pop()!;
      sizes[i]! -= memberBytes(entry);
      shed.unshift(entry);
      moved++;
    }
  }
  // Shed members go to new pages only (never onto an old page: its rewrite comes after the head's).
  let last = shed.length > 0 ? openPage(pages, sizes, overheadBytes) : pages.length - 1;
  for (const entry of [...shed, ...newcomers]) {
    const bytes = memberBytes(entry);
    if (pages[last]!.length > 0 && sizes[last]! + bytes > PAGE_APPEND_BYTES)
      last = openPage(pages, sizes, overheadBytes);
    pages[last]!.push(entry);
    sizes[last]! += bytes;
  }
  return { pages, moved };
}

function openPage(pages: MemberEntry[][], sizes: number[], overheadBytes: (page: number) => number): number {
  pages.push([]);
  sizes.push(overheadBytes(pages.length - 1));
  return pages.length - 1;
}
