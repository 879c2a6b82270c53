/** Per-operation call counts that benchmarks and tests read (`'POST /rest/api/3/issue/bulk': n`). */
export interface JiraCounters {
  /** Calls per operation, keyed `METHOD /path/template` (unknown paths counted under the raw path). */
  byOperation(): Record<string, number>;
  get(operation: string): number;
  readonly reads: number;
  readonly writes: number;
  readonly total: number;
  /** Calls answered with 429. */
  readonly rateLimited: number;
  /** Points the app's calls cost (Jira's hourly quota model; people's calls are not counted). */
  readonly points: number;
  /** Points per operation. */
  pointsByOperation(): Record<string, number>;
  reset(): void;
}

export class CallCounters implements JiraCounters {
  private counts = new Map<string, number>();
  reads = 0;
  writes = 0;
  rateLimited = 0;
  points = 0;
  private pointCounts = new Map<string, number>();

  get total(): number {
    return this.reads + this.writes;
  }

  record(operation: string, method: string, status: number): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
    if (method === 'GET' || (method === 'POST' && operation.endsWith('/search/jql'))) this.reads += 1;
    else this.writes += 1;
    if (status === 429) this.rateLimited += 1;
  }

  recordPoints(operation: string, points: number): void {
    if (points === 0) return;
    this.points += points;
    this.pointCounts.set(operation, (this.pointCounts.get(operation) ?? 0) + points);
  }

  pointsByOperation(): Record<string, number> {
    return Object.fromEntries(this.pointCounts);
  }

  byOperation(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  get(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  reset(): void {
    this.counts.clear();
    this.reads = 0;
    this.writes = 0;
    this.rateLimited = 0;
    this.points = 0;
    this.pointCounts.clear();
  }
}
