/**
 * When an empty JQL search proves that an issue does not exist. Jira's search index lags behind
 * writes ("recent updates might not be immediately visible", `POST /rest/api/3/search/jql`; "a few
 * seconds to minutes, depending on the operation", Atlassian's *Search and reconcile*), and an
 * issue the app created before it died has no id the app knows, so `reconcileIssues` cannot name it.
 * A pending mark is written just before the bulk create; the issue exists at the latest when that
 * request ends, and is searchable at the latest one index lag later. Until then an empty search
 * proves nothing: the finding waits, it is not created again.
 */

/** The longest index lag the app assumes (Atlassian: "a few seconds to minutes"). */
export const ASSUMED_SEARCH_INDEX_LAG_MS = 120_000;
/** The longest a bulk create may run after its mark was written (a Forge fetch that outlives it is cut off). */
export const CREATE_REQUEST_MAX_MS = 60_000;
/** A mark at least this old, with no issue found, has no issue. */
export const EMPTY_SEARCH_TRUSTED_AFTER_MS = ASSUMED_SEARCH_INDEX_LAG_MS + CREATE_REQUEST_MAX_MS;

/** Milliseconds until an empty search for a mark written at `markedAt` can be trusted; 0: now. */
export function untilEmptySearchTrusted(markedAt: string, now: Date): number {
  const at = Date.parse(markedAt);
  if (Number.isNaN(at)) return 0; // a mark without a readable time is from an old record: long past any lag
  return Math.max(0, at + EMPTY_SEARCH_TRUSTED_AFTER_MS - now.getTime());
}

/**
 * While an empty search proves nothing yet, how soon to search again: most writes are searchable within seconds
 * (Atlassian: "the majority of modifications are shown within seconds"), so an issue a dead attempt created is
 * usually found long before the bound; one that never was is created once the bound has passed.
 */
export const SEARCH_AGAIN_WHILE_UNSURE_MS = 30_000;

/** When to search again for a mark written at `markedAt` that an empty search did not settle; 0: it did settle. */
export function searchAgainInMs(markedAt: string, now: Date): number {
  const waitMs = untilEmptySearchTrusted(markedAt, now);
  return waitMs === 0 ? 0 : Math.min(waitMs + 1_000, SEARCH_AGAIN_WHILE_UNSURE_MS);
}
