import { holderVerdict, isLive, STEP_CUTOFF_MS, ttlSecondsFor, waiterVerdict } from '../../src/domain/lease';

const expiry = new Date('2026-01-01T00:01:00Z');
const at = (offsetMs: number) => new Date(expiry.getTime() + offsetMs);

describe('lease rules (expiry in the value)', () => {
  it.each([
    [-60_000, 'safe'],
    [-30_000, 'safe'],
    [-29_999, 'renew'],
    [0, 'renew'],
    [STEP_CUTOFF_MS - 1, 'renew'],
    [STEP_CUTOFF_MS, 'lost'],
  ] as const)('a holder %i ms from its expiry: %s', (offset, verdict) => {
    expect(holderVerdict(expiry, at(offset))).toBe(verdict);
  });

  it.each([
    [-10_000, 'held'],
    [4_999, 'held'],
    [5_000, 'take-over'],
    [STEP_CUTOFF_MS - 1, 'take-over'],
    [STEP_CUTOFF_MS, 'wait-for-removal'],
  ] as const)('a waiter %i ms from the expiry: %s', (offset, verdict) => {
    expect(waiterVerdict(expiry, at(offset))).toBe(verdict);
  });

  it('the TTL outlives the value by the GC margin; a record is live until its stamp', () => {
    expect(ttlSecondsFor(expiry, at(-60_000))).toBe(660);
    expect(ttlSecondsFor(expiry, at(10_000))).toBe(601);
    expect(isLive(expiry.toISOString(), at(-1))).toBe(true);
    expect(isLive(expiry.toISOString(), at(0))).toBe(false);
    expect(isLive('not a date', at(-1))).toBe(false);
  });
});
