import type { SyncConfig, TargetMapping } from './config';
import { isStaleVersion, type FindingState, type LinkedState } from './finding-state';
import { markSkipped, markUnrouted, resettle, type SyncMoment, type SyncSubject } from './finding-state-transitions';
import { computeGroupId, computeGroupKey, type GroupKey } from './grouping';
import { decidePolicy } from './policy';
import { routeFinding } from './routing';

/**
 * The first step of a sync chunk, pure: which findings need an issue created, which linked issues
 * need an update, and which are settled here without Jira (with the state to write, if any).
 */

export type SettledOutcome = 'unchanged' | 'skipped' | 'unrouted';

export type CreateGroup<I extends SyncSubject> = {
  mapping: TargetMapping;
  /** In chunk order. A `pending` state means an earlier attempt may have created the issue already. */
  entries: Array<{ item: I; state: FindingState | undefined }>;
};

/**
 * A finding for a group issue: a member already (`join` absent: its state names the group), or one
 * joining the group its mapping's `grouping` gives it.
 */
export type GroupEntry<I extends SyncSubject> = {
  item: I;
  state: FindingState | undefined;
  groupId: string;
  join?: { mapping: TargetMapping; group: GroupKey };
};

export type Triage<I extends SyncSubject> = {
  /** One group per routing target, in the order the chunk first names them. */
  creates: Array<CreateGroup<I>>;
  updates: Array<{ item: I; state: LinkedState }>;
  /** Members of group issues, in chunk order. */
  grouped: Array<GroupEntry<I>>;
  /** `state`: what to store; absent when nothing changes (a stale version). */
  settled: Array<{ item: I; outcome: SettledOutcome; state?: FindingState }>;
};

export function triageChunk<I extends SyncSubject>(input: {
  items: ReadonlyArray<I>;
  states: ReadonlyMap<string, FindingState>;
  config: SyncConfig;
  moment: SyncMoment;
}): Triage<I> {
  const { config, moment } = input;
  const triage: Triage<I> = { creates: [], updates: [], grouped: [], settled: [] };
  const groups = new Map<string, CreateGroup<I>>();
  for (const item of input.items) {
    const state = input.states.get(item.findingKey);
    if (state && isStaleVersion(item.finding, state)) {
      triage.settled.push({ item, outcome: 'unchanged' });
      continue;
    }
    if (state?.outcome === 'linked' && state.groupId !== undefined) {
      triage.grouped.push({ item, state, groupId: state.groupId });
      continue;
    }
    if (state?.outcome === 'linked') {
      triage.updates.push({ item, state });
      continue;
    }
    if (state?.outcome === 'issue-deleted' && config.onDeletedIssue === 'ignore') {
      triage.settled.push({ item, outcome: 'unchanged', state: resettle(item, state, moment) });
      continue;
    }
    const route = routeFinding(item.finding, config);
    if (!route.routed) {
      triage.settled.push({ item, outcome: 'unrouted', state: markUnrouted(item, state, route.message, moment) });
      continue;
    }
    const policy = decidePolicy(item.finding, route.mapping, config);
    if (policy.action === 'skip') {
      const skipped = markSkipped(item, state, route.mapping.id, policy.message, moment);
      triage.settled.push({ item, outcome: 'skipped', state: skipped });
      continue;
    }
    // A pending mark may have an issue of its own in Jira: it is recovered on the per-finding path.
    const groupKey =
      state?.outcome === 'pending' ? undefined : computeGroupKey(item.finding, route.mapping.grouping ?? 'none');
    if (groupKey) {
      const groupId = computeGroupId(route.mapping.id, groupKey);
      triage.grouped.push({ item, state, groupId, join: { mapping: route.mapping, group: groupKey } });
      continue;
    }
    let group = groups.get(route.mapping.id);
    if (!group) {
      group = { mapping: route.mapping, entries: [] };
      groups.set(route.mapping.id, group);
      triage.creates.push(group);
    }
    group.entries.push({ item, state });
  }
  return triage;
}
