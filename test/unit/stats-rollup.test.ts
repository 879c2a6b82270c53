import {
  FOLD_MAX_HOURS,
  foldHours,
  hourOf,
  hoursBetween,
  lastClosedHour,
  openHours,
  planFold,
  shardFor,
  subtractCounts,
  summarize,
  VIEW_MAX_OPEN_HOURS,
  ROLLUP_SHARDS,
  type RollupWindow,
} from '../../src/domain/stats-rollup';

const EMPTY: RollupWindow = { foldedThrough: null, days: {}, lastIngestAt: null };

describe('hours', () => {
  it('names hours in UTC and lists the hours between two, oldest first', () => {
    expect(hourOf(new Date('2026-11-30T10:59:59.999Z'))).toBe('2026-11-30T10');
    expect(hoursBetween('2026-11-30T22', '2026-12-01T01')).toEqual(['2026-11-30T23', '2026-12-01T00', '2026-12-01T01']);
    expect(hoursBetween('2026-11-30T10', '2026-11-30T10')).toEqual([]);
  });

  it.each([
    ['2026-11-30T10:25:00Z', '2026-11-30T09'],
    ['2026-11-30T10:15:00Z', '2026-11-30T08'],
  ])('at %s the last closed hour (20 min grace after its end) is %s', (now, hour) => {
    expect(lastClosedHour(new Date(now))).toBe(hour);
  });

  it('spreads work over the shards, the same id always to the same shard', () => {
    const used = new Set(Array.from({ length: 200 }, (_, i) => shardFor(`chunk-${i}`)));
    expect(used.size).toBe(ROLLUP_SHARDS);
    expect(shardFor('chunk-7')).toBe(shardFor('chunk-7'));
  });
});

describe('folding', () => {
  const now = new Date('2026-11-30T10:30:00Z');

  it('folds the closed hours after the last fold, once, into daily totals', () => {
    const window: RollupWindow = { ...EMPTY, foldedThrough: '2026-11-30T06', days: { '2026-11-30': { created: 5 } } };
    const hours = planFold(window, now);
    expect(hours).toEqual(['2026-11-30T07', '2026-11-30T08', '2026-11-30T09']);
    const folded = foldHours(
      window,
      hours,
      [
        { hour: '2026-11-30T07', counts: { created: 2 }, lastIngestAt: null },
        { hour: '2026-11-30T09', counts: { created: 1, failed: 1 }, lastIngestAt: '2026-11-30T09:10:00.000Z' },
      ],
      now,
    );
    expect(folded).toEqual({
      foldedThrough: '2026-11-30T09',
      days: { '2026-11-30': { created: 8, failed: 1 } },
      lastIngestAt: '2026-11-30T09:10:00.000Z',
      levels: {},
    });
    expect(planFold(folded, now)).toEqual([]);
  });

  it('catches up at most 48 hours per run and drops days older than 30', () => {
    const window: RollupWindow = {
      ...EMPTY,
      foldedThrough: '2026-11-20T00',
      days: { '2026-10-01': { created: 100 }, '2026-11-19': { created: 1 } },
    };
    const hours = planFold(window, now);
    expect(hours).toHaveLength(FOLD_MAX_HOURS);
    expect(hours[0]).toBe('2026-11-20T01');
    expect(foldHours(window, hours, [], now).days).toEqual({ '2026-11-19': { created: 1 } });
  });

  it('a page view reads only the hours after the fold, at most six, and says when more are missing', () => {
    const fresh = openHours({ ...EMPTY, foldedThrough: '2026-11-30T08' }, now);
    // …and the next hour, for a consumer whose clock runs a little ahead.
    expect(fresh).toEqual({ hours: ['2026-11-30T09', '2026-11-30T10', '2026-11-30T11'], incomplete: false });
    const behind = openHours({ ...EMPTY, foldedThrough: '2026-11-29T08' }, now);
    expect(behind.hours.at(-1)).toBe('2026-11-30T11');
    expect(behind.hours).toHaveLength(VIEW_MAX_OPEN_HOURS);
    expect(behind.incomplete).toBe(true);
    expect(openHours(EMPTY, now).hours.at(-1)).toBe('2026-11-30T11');
  });

  it('sums the window days of the last 30 and the open hours', () => {
    const window: RollupWindow = {
      foldedThrough: '2026-11-30T08',
      days: { '2026-10-31': { created: 1000 }, '2026-11-01': { created: 10 }, '2026-11-30': { created: 1 } },
      lastIngestAt: '2026-11-30T08:00:00.000Z',
    };
    expect(
      summarize(
        window,
        [{ hour: '2026-11-30T10', counts: { created: 2 }, lastIngestAt: '2026-11-30T10:01:00.000Z' }],
        now,
      ),
    ).toEqual({ counts: { created: 13 }, lastIngestAt: '2026-11-30T10:01:00.000Z', levels: {} });
  });

  it('a retried chunk adds only what changed', () => {
    expect(subtractCounts({ created: 2, updated: 1 }, { created: 2, unchanged: 1 })).toEqual({
      updated: 1,
      unchanged: -1,
    });
  });
});
