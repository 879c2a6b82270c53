import type { SyncConfig, TargetMapping } from './config';
import { isStaleVersion, type FindingState, type LinkedState } from './finding-state';
import { markSkipped, markUnrouted, resettle, type SyncMoment, type SyncSubject } from './finding-state-transitions';
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

export type Triage<I extends SyncSubject> = {
  /** One group per routing target, in the order the chunk first names them. */
  creates: Array<CreateGroup<I>>;
  updates: Array<{ item: I; state: LinkedState }>;
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
  const triage: Triage<I> = { creates: [], updates: [], settled: [] };
  const groups = new Map<string, CreateGroup<I>>();
  for (const item of input.items) {
    const state = input.states.get(item.findingKey);
    if (state && isStaleVersion(item.finding, state)) {
      triage.settled.push({ item, outcome: 'unchanged' });
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
