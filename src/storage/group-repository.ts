import { GroupRecordSchema, type GroupRecord } from '../domain/grouping';
import { batchGetValues, batchSetValues } from './kvs-batch';
import { keys } from './keys';

/**
 * Group records (`group:<groupId>`): the members one group issue lists. Only the sync consumer
 * writes them, under the lane lease of the group's mapping; read and written 25 at a time.
 */
export const groupRepository = {
  async getMany(groupIds: ReadonlyArray<string>): Promise<Map<string, GroupRecord>> {
    const out = new Map<string, GroupRecord>();
    if (groupIds.length === 0) return out;
    const values = await batchGetValues(groupIds.map(keys.group));
    for (const groupId of groupIds) {
      const raw = values.get(keys.group(groupId));
      if (raw === undefined) continue;
      const parsed = GroupRecordSchema.safeParse(raw);
      if (!parsed.success)
        throw new Error(
          `Stored group ${groupId} is corrupt: ` +
            `${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
        );
      out.set(groupId, parsed.data);
    }
    return out;
  },
  async putMany(records: ReadonlyArray<GroupRecord>): Promise<void> {
    if (records.length === 0) return;
    await batchSetValues(records.map((record) => ({ key: keys.group(record.groupId), value: record })));
  },
};
