import type { JiraIssueRecord } from './types';

/**
 * Jira's eventually consistent search index (`/search/jql`). Atlassian ("Search and reconcile",
 * and the operation's description in the REST v3 document): recent writes might not be visible in
 * search results for "a few seconds to minutes, depending on the operation"; `reconcileIssues`
 * (≤ 50 issue ids) gives read-after-write consistency for the issues it names.
 *
 * Model: every write to an issue (create, edit, transition, entity property, comment, delete) is
 * indexed after its own lag. Until then JQL sees the issue as it was when last indexed: a new issue
 * is invisible, an edited one matches on its old values, a deleted one still matches. GET issue is
 * always current. `reconcileIssues` makes the named issues current.
 */

export type SearchIndexLag =
  /** Every write is indexed after exactly `ms` (0 = strongly consistent; a test says why). */
  | { kind: 'fixed'; ms: number }
  /** A seeded random lag per write, from the distribution below (the default). */
  | { kind: 'random'; seed: number };

/**
 * Guessed from Atlassian's wording ("the majority of modifications are shown within seconds",
 * "a few seconds to minutes"): share of writes → lag range.
 */
export const SEARCH_INDEX_LAG_DISTRIBUTION: ReadonlyArray<{ share: number; minMs: number; maxMs: number }> = [
  { share: 0.74, minMs: 200, maxMs: 2_000 },
  { share: 0.2, minMs: 2_000, maxMs: 10_000 },
  { share: 0.05, minMs: 10_000, maxMs: 30_000 },
  { share: 0.01, minMs: 30_000, maxMs: 60_000 },
];
/** The longest lag the default distribution produces. */
export const SEARCH_INDEX_LAG_MAX_MS = 60_000;
export const DEFAULT_SEARCH_INDEX_SEED = 20260302;
/** `reconcileIssues` accepts at most 50 ids (REST v3 document). */
export const MAX_RECONCILE_ISSUES = 50;

/** mulberry32: a small seeded PRNG, reproducible across runs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PendingIndex {
  /** The issue as last indexed; null: not in the index (created within the lag, or deleted). */
  base: JiraIssueRecord | null;
  /** Writes not yet indexed, in write order, each with when it becomes visible. */
  versions: Array<{ due: number; snapshot: JiraIssueRecord | null }>;
}

export class SearchIndex {
  private readonly pending = new Map<string, PendingIndex>();
  private random: () => number;
  private lag: SearchIndexLag;

  constructor(
    private readonly now: () => number,
    lag: SearchIndexLag,
  ) {
    this.lag = lag;
    this.random = seededRandom(lag.kind === 'random' ? lag.seed : 0);
  }

  setLag(lag: SearchIndexLag): void {
    const reseed = lag.kind === 'random' && (this.lag.kind !== 'random' || this.lag.seed !== lag.seed);
    this.lag = lag;
    if (reseed) this.random = seededRandom(lag.seed);
  }

  private nextLagMs(): number {
    if (this.lag.kind === 'fixed') return this.lag.ms;
    let pick = this.random();
    for (const band of SEARCH_INDEX_LAG_DISTRIBUTION) {
      if (pick < band.share) return Math.round(band.minMs + this.random() * (band.maxMs - band.minMs));
      pick -= band.share;
    }
    return SEARCH_INDEX_LAG_MAX_MS;
  }

  /** Before a write to an existing issue: remembers what search saw until now. */
  beforeWrite(issue: JiraIssueRecord | undefined): void {
    if (!issue || this.pending.has(issue.id)) return;
    this.pending.set(issue.id, { base: structuredClone(issue), versions: [] });
  }

  /** After a write: `after` (null: deleted) reaches search after this write's lag. */
  afterWrite(issueId: string, after: JiraIssueRecord | null): void {
    const entry = this.pending.get(issueId) ?? { base: null, versions: [] };
    this.pending.set(issueId, entry);
    const last = entry.versions[entry.versions.length - 1];
    // The index applies one issue's writes in order: a later write is never visible before an earlier one.
    const due = Math.max(this.now() + this.nextLagMs(), last?.due ?? 0);
    entry.versions.push({ due, snapshot: after ? structuredClone(after) : null });
    this.settle(issueId, entry, this.now());
  }

  private settle(issueId: string, entry: PendingIndex, now: number): void {
    while (entry.versions.length > 0 && entry.versions[0]!.due <= now) entry.base = entry.versions.shift()!.snapshot;
    if (entry.versions.length === 0) this.pending.delete(issueId);
  }

  /** Issues as search sees them now: live ones (current or as last indexed) and deleted ones not yet dropped. */
  view(live: readonly JiraIssueRecord[], reconcile: ReadonlySet<string>): JiraIssueRecord[] {
    const now = this.now();
    const out: JiraIssueRecord[] = [];
    const seen = new Set<string>();
    for (const issue of live) {
      seen.add(issue.id);
      const entry = this.pending.get(issue.id);
      if (entry) this.settle(issue.id, entry, now);
      const still = this.pending.get(issue.id);
      if (!still || reconcile.has(issue.id)) out.push(issue);
      else if (still.base) out.push(still.base);
    }
    for (const [id, entry] of [...this.pending]) {
      if (seen.has(id)) continue;
      this.settle(id, entry, now);
      const still = this.pending.get(id);
      if (still?.base && !reconcile.has(id)) out.push(still.base);
    }
    return out;
  }

  /** Writes not yet visible to search. */
  lagging(): number {
    return [...this.pending.values()].reduce((n, e) => n + e.versions.length, 0);
  }

  clear(): void {
    this.pending.clear();
  }
}
