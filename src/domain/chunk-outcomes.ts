import { isStyleToken } from './issue-style';

/**
 * What happened to each finding of one inbox chunk (`findingKey → counters`), merged over the
 * attempts at that chunk so that health counters count each finding once however often the chunk
 * is retried. Pure.
 */

export type ChunkOutcomes<C extends string> = Record<string, C[]>;

const UNCHANGED = 'unchanged';

/**
 * Union per finding. "unchanged" only stands when nothing else happened to the finding: a retry
 * that finds the work of an earlier attempt already done sees it as unchanged, but it was not.
 */
export function mergeChunkOutcomes<C extends string>(
  previous: ChunkOutcomes<C> | undefined,
  next: ChunkOutcomes<C>,
): ChunkOutcomes<C> {
  const merged: ChunkOutcomes<C> = {};
  for (const findingKey of new Set([...Object.keys(previous ?? {}), ...Object.keys(next)])) {
    const all = new Set<C>([...(previous?.[findingKey] ?? []), ...(next[findingKey] ?? [])]);
    // Issue-style tokens (issue-style.ts) are a tally beside the outcome: they do not hide "unchanged".
    const effective = [...all].filter((name) => name !== UNCHANGED && !isStyleToken(name));
    merged[findingKey] = (effective.length > 0 ? [...all].filter((name) => name !== UNCHANGED) : [...all]).sort();
  }
  return merged;
}

/** Totals of a chunk's outcomes by counter. */
export function countChunkOutcomes<C extends string>(outcomes: ChunkOutcomes<C>): Partial<Record<C, number>> {
  const counts: Partial<Record<C, number>> = {};
  for (const names of Object.values(outcomes)) for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}
