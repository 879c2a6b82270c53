import { isStyleToken } from './issue-style';

/**
 * Health counters as roll-ups whose reading cost does not grow with history. Pure.
 *
 * - Work (an ingest request, a sync chunk) adds its counts to one **hour bucket**, split into
 *   `ROLLUP_SHARDS` shards so that concurrent consumers rarely contend; each shard is updated with a
 *   versioned compare-and-set, so no increment is lost.
 * - The hourly health check **folds** closed hours (an hour is closed `FOLD_GRACE_MS` after its end,
 *   longer than any consumer runs) into one **window** document holding a total per UTC day for the
 *   last `WINDOW_DAYS` days. It is the window's only writer, again with a compare-and-set.
 * - Level counters (issue-style tokens: findings per issue style) are not activity: the fold adds them to
 *   the window's `levels`, which no day boundary drops, and a view adds the open hours' to those.
 * - A Health page view reads the window and the shards of the hours not folded yet (normally one or
 *   two hours, at most `VIEW_MAX_OPEN_HOURS`): one batched read, whatever the history.
 */

export type Counts = Record<string, number>;

export const ROLLUP_SHARDS = 4;
export const WINDOW_DAYS = 30;
export const FOLD_GRACE_MS = 20 * 60_000;
/** Hours a page view reads beyond the window; more means the hourly check is behind. */
export const VIEW_MAX_OPEN_HOURS = 6;
/** Hours one health-check run folds at most (a check that was down for days catches up over a few runs). */
export const FOLD_MAX_HOURS = 48;

export type HourShard = { hour: string; counts: Counts; lastIngestAt: string | null };
export type RollupWindow = {
  /** The last hour folded in (`YYYY-MM-DDTHH`, UTC), or null before the first fold. */
  foldedThrough: string | null;
  days: Record<string, Counts>;
  lastIngestAt: string | null;
  /** Counters that are levels, not activity (issue-style tokens): summed for good, never dropped with old days. */
  levels?: Counts;
};

/** Splits counts into activity (kept per day) and level tokens (issue-style.ts, kept for good). */
function splitLevels(counts: Counts): { activity: Counts; levels: Counts } {
  const activity: Counts = {};
  const levels: Counts = {};
  for (const [name, value] of Object.entries(counts)) (isStyleToken(name) ? levels : activity)[name] = value;
  return { activity, levels };
}

const HOUR_MS = 3_600_000;

/** `2026-11-30T10` (UTC): sorts as text in time order, fits the KVS key alphabet. */
export function hourOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}

function hourStart(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`);
}

export function dayOfHour(hour: string): string {
  return hour.slice(0, 10);
}

/** Hours after `after` (exclusive) up to `through` (inclusive), oldest first. */
export function hoursBetween(after: string, through: string): string[] {
  const out: string[] = [];
  for (let t = hourStart(after) + HOUR_MS; t <= hourStart(through); t += HOUR_MS) out.push(hourOf(new Date(t)));
  return out;
}

/** The newest hour no consumer can still be adding to. */
export function lastClosedHour(now: Date): string {
  return hourOf(new Date(now.getTime() - FOLD_GRACE_MS - HOUR_MS));
}

/** A stable shard for a unit of work (FNV-1a of its id). */
export function shardFor(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % ROLLUP_SHARDS;
}

export function addCounts(base: Counts, delta: Counts): Counts {
  const out: Counts = { ...base };
  for (const [name, value] of Object.entries(delta)) if (value !== 0) out[name] = (out[name] ?? 0) + value;
  return out;
}

/** `next − previous` per counter, zeros left out (what one more attempt at a chunk adds). */
export function subtractCounts(next: Counts, previous: Counts): Counts {
  const out: Counts = {};
  for (const name of new Set([...Object.keys(next), ...Object.keys(previous)])) {
    const value = (next[name] ?? 0) - (previous[name] ?? 0);
    if (value !== 0) out[name] = value;
  }
  return out;
}

export function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function firstDayKept(now: Date): string {
  return new Date(now.getTime() - (WINDOW_DAYS - 1) * 24 * HOUR_MS).toISOString().slice(0, 10);
}

/**
 * Where the next fold starts and ends: hours after the window's `foldedThrough` up to the last
 * closed hour, at most `FOLD_MAX_HOURS`, never older than the window keeps.
 */
export function planFold(window: RollupWindow, now: Date): string[] {
  const through = lastClosedHour(now);
  const oldest = hourOf(new Date(Date.parse(`${firstDayKept(now)}T00:00:00.000Z`) - HOUR_MS));
  // Before the first fold nothing older than FOLD_MAX_HOURS can exist (the roll-ups start with it).
  const first = hourOf(new Date(now.getTime() - FOLD_MAX_HOURS * HOUR_MS));
  const after = window.foldedThrough === null ? first : window.foldedThrough < oldest ? oldest : window.foldedThrough;
  return hoursBetween(after, through).slice(0, FOLD_MAX_HOURS);
}

/** The window with `shards` (all shards of `hours`) added, moved to the last of `hours`, old days dropped. */
export function foldHours(window: RollupWindow, hours: string[], shards: HourShard[], now: Date): RollupWindow {
  if (hours.length === 0) return window;
  const days: Record<string, Counts> = {};
  const keep = firstDayKept(now);
  for (const [day, counts] of Object.entries(window.days)) if (day >= keep) days[day] = counts;
  let lastIngestAt = window.lastIngestAt;
  let levels: Counts = window.levels ?? {};
  for (const shard of shards) {
    const day = dayOfHour(shard.hour);
    const { activity, levels: shardLevels } = splitLevels(shard.counts);
    if (day >= keep) days[day] = addCounts(days[day] ?? {}, activity);
    levels = addCounts(levels, shardLevels);
    lastIngestAt = laterOf(lastIngestAt, shard.lastIngestAt);
  }
  return { foldedThrough: hours[hours.length - 1]!, days, lastIngestAt, levels };
}

/**
 * The hours a page view must read beyond the window (newest `VIEW_MAX_OPEN_HOURS`, up to the hour after
 * the current one), and whether some are left out.
 */
export function openHours(window: RollupWindow, now: Date): { hours: string[]; incomplete: boolean } {
  // The next hour too: another invocation's clock may run a little ahead (a chunk recorded at 11:59:58
  // by this clock can land in 12:00's bucket), and reading 4 more keys costs nothing (same batch).
  const current = hourOf(new Date(now.getTime() + HOUR_MS));
  // Before the first fold (a new installation: the hourly check has not run yet) the newest hours are all there is.
  if (window.foldedThrough === null)
    return {
      hours: hoursBetween(hourOf(new Date(now.getTime() - VIEW_MAX_OPEN_HOURS * HOUR_MS)), current),
      incomplete: false,
    };
  const all = hoursBetween(window.foldedThrough, current);
  return { hours: all.slice(-VIEW_MAX_OPEN_HOURS), incomplete: all.length > VIEW_MAX_OPEN_HOURS };
}

/** 30-day totals (whole UTC days: today and the 29 before) and the last ingest, from the window and the open hours. */
export function summarize(
  window: RollupWindow,
  open: HourShard[],
  now: Date,
): { counts: Counts; lastIngestAt: string | null; levels: Counts } {
  const keep = firstDayKept(now);
  let counts: Counts = {};
  for (const [day, dayCounts] of Object.entries(window.days)) if (day >= keep) counts = addCounts(counts, dayCounts);
  let lastIngestAt = window.lastIngestAt;
  let levels: Counts = window.levels ?? {};
  for (const shard of open) {
    const split = splitLevels(shard.counts);
    counts = addCounts(counts, split.activity);
    levels = addCounts(levels, split.levels);
    lastIngestAt = laterOf(lastIngestAt, shard.lastIngestAt);
  }
  return { counts, lastIngestAt, levels };
}
