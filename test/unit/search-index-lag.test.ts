import {
  ASSUMED_SEARCH_INDEX_LAG_MS,
  CREATE_REQUEST_MAX_MS,
  EMPTY_SEARCH_TRUSTED_AFTER_MS,
  SEARCH_AGAIN_WHILE_UNSURE_MS,
  searchAgainInMs,
  untilEmptySearchTrusted,
} from '../../src/domain/search-index-lag';

/** An empty search proves there is no issue only once the mark is older than a create plus Jira's index lag. */

const markedAt = '2026-03-02T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(markedAt) + ms);

describe('untilEmptySearchTrusted', () => {
  it('is the assumed lag plus the longest create after the mark', () => {
    expect(EMPTY_SEARCH_TRUSTED_AFTER_MS).toBe(ASSUMED_SEARCH_INDEX_LAG_MS + CREATE_REQUEST_MAX_MS);
    expect(EMPTY_SEARCH_TRUSTED_AFTER_MS).toBeGreaterThanOrEqual(60_000); // Atlassian: "seconds to minutes"
  });

  it.each([
    [0, EMPTY_SEARCH_TRUSTED_AFTER_MS],
    [1_000, EMPTY_SEARCH_TRUSTED_AFTER_MS - 1_000],
    [EMPTY_SEARCH_TRUSTED_AFTER_MS - 1, 1],
    [EMPTY_SEARCH_TRUSTED_AFTER_MS, 0],
    [EMPTY_SEARCH_TRUSTED_AFTER_MS + 3_600_000, 0],
    [-5_000, EMPTY_SEARCH_TRUSTED_AFTER_MS + 5_000], // a clock a little behind the mark's writer waits longer
  ])('a mark %i ms old waits %i ms more', (age, wait) => {
    expect(untilEmptySearchTrusted(markedAt, at(age))).toBe(wait);
  });

  it('a mark without a readable time (an old record) is trusted at once', () => {
    expect(untilEmptySearchTrusted('not a date', at(0))).toBe(0);
  });
});

describe('searchAgainInMs', () => {
  it.each([
    [0, SEARCH_AGAIN_WHILE_UNSURE_MS], // far from the bound: search again soon, most writes show within seconds
    [EMPTY_SEARCH_TRUSTED_AFTER_MS - 10_000, 11_000], // near it: just past the bound, then an empty search counts
    [EMPTY_SEARCH_TRUSTED_AFTER_MS, 0],
  ])('a mark %i ms old searches again in %i ms', (age, again) => {
    expect(searchAgainInMs(markedAt, at(age))).toBe(again);
  });
});
