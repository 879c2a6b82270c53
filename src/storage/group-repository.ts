import { planGroupPages, type GroupLayout, type MemberEntry } from '../domain/group-pages';
import { GroupMemberSchema, GroupRecordSchema, type GroupMember, type GroupRecord } from '../domain/grouping';
import { hashValue } from '../domain/hash';
import { z } from 'zod';
import { batchGetValues, batchSetValues, KVS_TRANSACTION_LIMIT } from './kvs-batch';
import { keys } from './keys';

/**
 * Group records: the members one group issue lists. Only the sync consumer writes them, under the
 * lane lease of the group's mapping. A group of more members than one KVS value holds (240 KiB, about
 * 850 members) is paged (domain/group-pages.ts): the head `group:<id>` holds the group and page 0,
 * `group-page:<id>:<n>` the pages after it. Callers see whole records.
 *
 * Cost: one batched read of the heads (25 per request), one more for the pages of groups that have
 * them; a write rewrites the head and only the pages whose members changed. Write order — new pages,
 * then heads, then changed old pages — so a crash at any step loses no member (see group-pages.ts).
 */

const HeadSchema = GroupRecordSchema.extend({ pageCount: z.number().int().min(1).optional() });
const PageSchema = z.object({
  groupId: z.string(),
  page: z.number().int(),
  members: z.record(z.string(), GroupMemberSchema),
});

/** Pages per read request: a batch answer stays near 3 MB however full the pages are. */
const PAGES_PER_READ = 12;
/** Bytes per write request (Forge: ≤ 4 MB per transaction). */
const BATCH_WRITE_BYTES = 3_500_000;

function corrupt(what: string, error: z.ZodError): Error {
  return new Error(`Stored ${what} is corrupt: ${error.issues[0]?.path.join('.')} ${error.issues[0]?.message}`);
}

type Write = { key: string; value: unknown; bytes: number };

async function writeAll(writes: Write[]): Promise<void> {
  let batch: Write[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length > 0) await batchSetValues(batch.map(({ key, value }) => ({ key, value })));
    batch = [];
    bytes = 0;
  };
  for (const write of writes) {
    if (batch.length >= KVS_TRANSACTION_LIMIT || (batch.length > 0 && bytes + write.bytes > BATCH_WRITE_BYTES))
      await flush();
    batch.push(write);
    bytes += write.bytes;
  }
  await flush();
}

const json = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const pageHash = (members: Record<string, GroupMember>) => hashValue(members).slice(0, 24);

/** What one record's write takes: its new pages, its head, its changed old pages, and the layout after. */
function planWrite(record: GroupRecord): { fresh: Write[]; head: Write; changed: Write[]; layout: GroupLayout } {
  const { layout, members, ...meta } = record;
  const headBytes = json({ ...meta, pageCount: 0, members: {} }) + 8;
  const pageBytes = json({ groupId: record.groupId, page: 0, members: {} }) + 8;
  const planned = planGroupPages(members, layout, (page) => (page === 0 ? headBytes : pageBytes));
  const old = layout?.pageCount ?? 0;
  const next: GroupLayout = { pageCount: planned.pages.length, pageOf: {}, pageHashes: [] };
  const fresh: Write[] = [];
  const changed: Write[] = [];
  let head: Write | undefined;
  planned.pages.forEach((entries: MemberEntry[], page) => {
    const pageMembers = Object.fromEntries(entries);
    for (const [key] of entries) next.pageOf[key] = page;
    const hash = pageHash(pageMembers);
    next.pageHashes.push(hash);
    if (page === 0) {
      const value = { ...meta, pageCount: planned.pages.length, members: pageMembers };
      head = { key: keys.group(record.groupId), value, bytes: json(value) };
      return;
    }
    if (page < old && layout?.pageHashes[page] === hash) return;
    const value = { groupId: record.groupId, page, members: pageMembers };
    (page < old ? changed : fresh).push({ key: keys.groupPage(record.groupId, page), value, bytes: json(value) });
  });
  return { fresh, head: head!, changed, layout: next };
}

export const groupRepository = {
  async getMany(groupIds: ReadonlyArray<string>): Promise<Map<string, GroupRecord>> {
    const out = new Map<string, GroupRecord>();
    if (groupIds.length === 0) return out;
    const values = await batchGetValues(groupIds.map(keys.group));
    const heads = new Map<string, z.output<typeof HeadSchema>>();
    const pageKeys: string[] = [];
    for (const groupId of groupIds) {
      const raw = values.get(keys.group(groupId));
      if (raw === undefined) continue;
      const parsed = HeadSchema.safeParse(raw);
      if (!parsed.success) throw corrupt(`group ${groupId}`, parsed.error);
      heads.set(groupId, parsed.data);
      for (let page = 1; page < (parsed.data.pageCount ?? 1); page++) pageKeys.push(keys.groupPage(groupId, page));
    }
    const pages = new Map<string, unknown>();
    for (let i = 0; i < pageKeys.length; i += PAGES_PER_READ)
      for (const [key, value] of await batchGetValues(pageKeys.slice(i, i + PAGES_PER_READ))) pages.set(key, value);
    for (const [groupId, head] of heads) {
      const { pageCount = 1, members: first, ...meta } = head;
      const layout: GroupLayout = { pageCount, pageOf: {}, pageHashes: [pageHash(first)] };
      const members: Record<string, GroupMember> = {};
      const add = (page: number, pageMembers: Record<string, GroupMember>) => {
        // A member on two pages (a crash while it moved): the later page was written first, so it is the newer.
        for (const [key, member] of Object.entries(pageMembers)) {
          members[key] = member;
          layout.pageOf[key] = page;
        }
      };
      add(0, first);
      for (let page = 1; page < pageCount; page++) {
        const raw = pages.get(keys.groupPage(groupId, page));
        // Never expected (a page is written before the head that counts it): read as empty, rewritten next time.
        const parsed = raw === undefined ? undefined : PageSchema.safeParse(raw);
        if (parsed && !parsed.success) throw corrupt(`page ${page} of group ${groupId}`, parsed.error);
        const pageMembers = parsed?.data.members ?? {};
        layout.pageHashes.push(raw === undefined ? '' : pageHash(pageMembers));
        add(page, pageMembers);
      }
      out.set(groupId, { ...meta, members, layout });
    }
    return out;
  },
  /** Writes the records (only their changed pages); returns them with the layout now stored. */
  async putMany(records: ReadonlyArray<GroupRecord>): Promise<GroupRecord[]> {
    if (records.length === 0) return [];
    const plans = records.map(planWrite);
    await writeAll(plans.flatMap((p) => p.fresh));
    await writeAll(plans.map((p) => p.head));
    await writeAll(plans.flatMap((p) => p.changed));
    return records.map((record, i) => ({ ...record, layout: plans[i]!.layout }));
  },
};
