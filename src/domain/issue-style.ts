import { z } from 'zod';
import type { TargetMapping } from './config';
import type { FindingState } from './finding-state';
import { GROUPINGS, type Grouping } from './grouping-mode';

/**
 * Which style of issue each linked finding sits in, tallied per mapping, pure. A mapping's grouping
 * can change; its issues do not move (grouping.ts), so findings keep sitting in issues of the old
 * style. The Health tab says how many, from a tally the sync keeps in its health roll-ups:
 *
 * - A linked state's **style key** is `<grouping>:<mapping id>` — `none` for an issue of its own, the
 *   group's grouping for a member of a group issue (recorded on the state when it joins).
 * - Each state carries the key it is counted under (`tally`). When a write changes it, the chunk's
 *   outcomes get `style+:<key>` and/or `style-:<old key>`; the roll-ups add them up for good (not per
 *   day), so the level per key is the number of findings in issues of that style.
 * - A retried chunk must count a change once even when its first attempt stored the state and died
 *   before its counts: the tally remembers the chunk that changed it and the key before, so the retry
 *   emits the same tokens, which the chunk's stats record merges (domain/chunk-outcomes.ts).
 *
 * Findings linked before this tally existed are counted the first time a chunk writes their state.
 */

export const StyleTallySchema = z.object({
  key: z.string().optional(),
  /** The chunk that last changed `key`, and the key before it. */
  chunk: z.string(),
  from: z.string().optional(),
});
export type StyleTally = z.output<typeof StyleTallySchema>;

export const STYLE_IN = 'style+:';
export const STYLE_OUT = 'style-:';
export type StyleToken = `${typeof STYLE_IN | typeof STYLE_OUT}${string}`;

export const isStyleToken = (name: string): name is StyleToken =>
  name.startsWith(STYLE_IN) || name.startsWith(STYLE_OUT);

/** The key a state is counted under: linked → `<grouping>:<mapping id>`; otherwise (or unknown) none. */
export function styleKeyOf(state: FindingState): string | undefined {
  if (state.outcome !== 'linked') return undefined;
  const grouping = state.groupId === undefined ? 'none' : state.grouping;
  return grouping === undefined ? undefined : `${grouping}:${state.lane}`;
}

/** The state to store, with its tally brought up to date, and the tokens this chunk counts for it. */
export function tallyStyle<S extends FindingState>(state: S, chunkKey: string): { state: S; tokens: StyleToken[] } {
  const previous = state.tally;
  const before = previous?.chunk === chunkKey ? previous.from : previous?.key;
  const after = styleKeyOf(state);
  if (before === after) return { state, tokens: [] };
  const tokens: StyleToken[] = [];
  if (before !== undefined) tokens.push(`${STYLE_OUT}${before}`);
  if (after !== undefined) tokens.push(`${STYLE_IN}${after}`);
  const tally: StyleTally = {
    ...(after !== undefined ? { key: after } : {}),
    chunk: chunkKey,
    ...(before !== undefined ? { from: before } : {}),
  };
  return { state: { ...state, tally }, tokens };
}

/** Levels per style key from token totals (`style+:k` − `style-:k`). */
export function styleLevels(counts: Readonly<Record<string, number>>): Record<string, number> {
  const levels: Record<string, number> = {};
  for (const [name, value] of Object.entries(counts)) {
    if (!isStyleToken(name)) continue;
    const key = name.slice(STYLE_IN.length);
    levels[key] = (levels[key] ?? 0) + (name.startsWith(STYLE_IN) ? value : -value);
  }
  return levels;
}

export type OldStyleIssues = { mappingId: string; projectKey: string; grouping: Grouping; findings: number };

/**
 * Findings sitting in issues whose style differs from their mapping's grouping now, per mapping and
 * old style; mappings no longer configured are left out (their issues follow no rule any more).
 */
export function findOldStyleIssues(
  levels: Readonly<Record<string, number>>,
  mappings: ReadonlyArray<Pick<TargetMapping, 'id' | 'projectKey' | 'grouping'>>,
): OldStyleIssues[] {
  const out: OldStyleIssues[] = [];
  for (const mapping of mappings) {
    const current = mapping.grouping ?? 'none';
    for (const grouping of GROUPINGS) {
      const findings = levels[`${grouping}:${mapping.id}`] ?? 0;
      if (grouping !== current && findings > 0)
        out.push({ mappingId: mapping.id, projectKey: mapping.projectKey, grouping, findings });
    }
  }
  return out;
}
