import { parseFindingState, type FindingState } from '../domain/finding-state';
import { IssueDeletionSchema, type IssueDeletion } from '../domain/issue-deletion';
import { batchGetValues, batchSetValues } from './kvs-batch';
import { keys } from './keys';

/**
 * Per-finding sync state, read and written 25 at a time. Only the sync consumer writes it; issue
 * deletions seen by the Jira → platform flow live beside it (`getDeletions`) so the two never race.
 */
export const findingStateRepository = {
  async getMany(findingKeys: ReadonlyArray<string>): Promise<Map<string, FindingState>> {
    const values = await batchGetValues(findingKeys.map(keys.findingState));
    const out = new Map<string, FindingState>();
    for (const findingKey of findingKeys) {
      const raw = values.get(keys.findingState(findingKey));
      if (raw === undefined) continue;
      const parsed = parseFindingState(raw); // older records are upgraded to the current shape
      if (!parsed.ok) throw new Error(`Stored state of finding ${findingKey} is corrupt: ${parsed.message}`);
      out.set(findingKey, parsed.state);
    }
    return out;
  },
  /** Issue deletions recorded by the Jira → platform flow (`finding-deleted:<key>`), by finding key. */
  async getDeletions(findingKeys: ReadonlyArray<string>): Promise<Map<string, IssueDeletion>> {
    const out = new Map<string, IssueDeletion>();
    if (findingKeys.length === 0) return out;
    const values = await batchGetValues(findingKeys.map(keys.findingDeletion));
    for (const findingKey of findingKeys) {
      const raw = values.get(keys.findingDeletion(findingKey));
      if (raw === undefined) continue;
      const parsed = IssueDeletionSchema.safeParse(raw);
      if (!parsed.success)
        throw new Error(
          `Stored issue deletion of finding ${findingKey} is corrupt: ${parsed.error.issues[0]?.message}`,
        );
      out.set(findingKey, parsed.data);
    }
    return out;
  },
  async putMany(states: ReadonlyArray<FindingState>): Promise<void> {
    if (states.length === 0) return;
    await batchSetValues(states.map((state) => ({ key: keys.findingState(state.findingKey), value: state })));
  },
};
