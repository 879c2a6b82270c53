import { z } from 'zod';
import { DEFAULT_POINTS_PER_HOUR, PointsQuota, type PointsQuotaTier } from './points-quota';
import { DEFAULT_SEARCH_INDEX_SEED, SearchIndex, type SearchIndexLag } from './search-index';

/**
 * Fault injection and Jira Cloud's rate limits, settable per test (and from `npm start` flags by
 * the lead's start script through `parseJiraFaultFlags`). The clock is the emulator's `now()`.
 */

export interface JiraWriteLimit {
  writes: number;
  windowMs: number;
}

export interface JiraFaultSettings {
  /** Added before every response. */
  latencyMs: number;
  /** Burst limit: requests per second for one operation (one endpoint + method), as Jira scopes it. null = off. */
  burstLimitPerSecond: number | null;
  /** Per-issue write limits (each window checked); [] = off. */
  perIssueWriteLimits: JiraWriteLimit[];
  /** How long each write takes to reach `search/jql` (see search-index.ts). Default: seeded random. */
  searchIndexLag: SearchIndexLag;
  /** The app's hourly points quota (see points-quota.ts); null = off (only where a test says why). */
  pointsPerHour: number | null;
  /** Tier 1 `global` (default) or Tier 2 `tenant`: the policy name and `RateLimit-Reason` sent. */
  quotaTier: PointsQuotaTier;
}

export type InjectableStatus = 429 | 500 | 502 | 503 | 504;

export interface JiraInjectedFault {
  status: InjectableStatus;
  /** Sent as `Retry-After` (429 and 503 carry one by default). */
  retryAfterSeconds?: number;
  /** Only calls to this operation, e.g. `POST /rest/api/3/issue/bulk`; default: any call. */
  operation?: string;
  /** How many matching calls fail (default 1). */
  times?: number;
  /** A 429's `RateLimit-Reason` (default `jira-quota-global-based`, as the hourly quota sends it). */
  reason?: string;
  /**
   * Jira does the work and the answer is lost on its way back (a gateway that gave up, a dropped
   * connection): the caller sees `status` and cannot tell whether anything was written.
   */
  afterHandling?: boolean;
}

/**
 * One element of a bulk create that Jira answers with a server-side failure in `errors[]` (the request itself is
 * 201 when another element was created). `created`: Jira created the issue anyway and only its answer says it
 * failed, as a timeout inside Jira can — the app cannot tell the two apart.
 */
export interface BulkElementFault {
  /** The element's position in `issueUpdates` (0-based). */
  index: number;
  status: 429 | 500 | 503;
  created?: boolean;
}

export interface JiraFaults {
  readonly settings: Readonly<JiraFaultSettings>;
  set(partial: Partial<JiraFaultSettings>): void;
  /** Next matching call(s) fail with the given status. */
  inject(fault: JiraInjectedFault): void;
  /** The next bulk create (`POST /rest/api/3/issue/bulk`) fails these elements; each call queues one request's. */
  failBulkElements(elements: BulkElementFault[]): void;
  /** Injected faults not yet consumed. */
  pending(): number;
  /** Back to defaults; forgets injected faults and rate-limit windows. */
  reset(): void;
  /**
   * The hourly points quota: `remaining()`, `usedThisHour()`, `resetAt()`; `charge(n)` spends n points of this hour
   * as the app's other calls would (e.g. `charge(remaining())`: the rest of the hour's points are gone).
   */
  readonly quota: Pick<PointsQuota, 'remaining' | 'usedThisHour' | 'resetAt' | 'charge'>;
}

/** Per-issue write limits Atlassian documents for Jira Cloud (2026 rate-limit model). */
export const JIRA_PER_ISSUE_WRITE_LIMITS: JiraWriteLimit[] = [
  { writes: 20, windowMs: 2_000 },
  { writes: 100, windowMs: 30_000 },
];

export function defaultFaultSettings(): JiraFaultSettings {
  return {
    latencyMs: 0,
    burstLimitPerSecond: null,
    perIssueWriteLimits: JIRA_PER_ISSUE_WRITE_LIMITS.map((l) => ({ ...l })),
    searchIndexLag: { kind: 'random', seed: DEFAULT_SEARCH_INDEX_SEED },
    pointsPerHour: DEFAULT_POINTS_PER_HOUR,
    quotaTier: 'global',
  };
}

export interface FaultDecision {
  status: number;
  headers: Record<string, string>;
  message: string;
  /** The request is handled first; only its answer is replaced (`JiraInjectedFault.afterHandling`). */
  afterHandling?: boolean;
}

/** The fault engine the emulator consults for each call. */
export class FaultEngine implements JiraFaults {
  private current = defaultFaultSettings();
  private queue: Array<Required<Pick<JiraInjectedFault, 'status' | 'times'>> & JiraInjectedFault> = [];
  private readonly burstWindows = new Map<string, number[]>();
  private readonly issueWrites = new Map<string, number[]>();
  private bulkElementFaults: BulkElementFault[][] = [];

  readonly searchIndex: SearchIndex;
  readonly quota: PointsQuota;

  constructor(private readonly now: () => number) {
    this.searchIndex = new SearchIndex(now, this.current.searchIndexLag);
    this.quota = new PointsQuota(now);
  }

  private apply(): void {
    this.searchIndex.setLag(this.current.searchIndexLag);
    this.quota.settings = { pointsPerHour: this.current.pointsPerHour, tier: this.current.quotaTier };
  }

  get settings(): Readonly<JiraFaultSettings> {
    return this.current;
  }

  set(partial: Partial<JiraFaultSettings>): void {
    this.current = { ...this.current, ...partial };
    this.apply();
  }

  inject(fault: JiraInjectedFault): void {
    this.queue.push({ ...fault, times: fault.times ?? 1 });
  }

  failBulkElements(elements: BulkElementFault[]): void {
    this.bulkElementFaults.push(elements);
  }

  /** The element faults of this bulk create, by element index (empty when none were queued). */
  takeBulkElementFaults(): Map<number, BulkElementFault> {
    return new Map((this.bulkElementFaults.shift() ?? []).map((f) => [f.index, f]));
  }

  pending(): number {
    return this.queue.reduce((n, f) => n + f.times, 0) + this.bulkElementFaults.length;
  }

  reset(): void {
    this.current = defaultFaultSettings();
    this.queue = [];
    this.bulkElementFaults = [];
    this.burstWindows.clear();
    this.issueWrites.clear();
    this.quota.reset();
    this.searchIndex.clear();
    this.apply();
  }

  /** The hourly points quota, checked for the app's calls after injected faults and bursts. */
  quotaCheck(): FaultDecision | null {
    return this.quota.check();
  }

  chargePoints(points: number): void {
    this.quota.charge(points);
  }

  quotaHeaders(): Record<string, string> {
    return this.quota.headers();
  }

  /** Injected faults and the burst limit, checked before the request is handled. */
  beforeRequest(operation: string): FaultDecision | null {
    const index = this.queue.findIndex((f) => !f.operation || f.operation === operation);
    if (index >= 0) {
      const fault = this.queue[index]!;
      fault.times -= 1;
      if (fault.times <= 0) this.queue.splice(index, 1);
      const decision = this.injected(fault);
      return fault.afterHandling ? { ...decision, afterHandling: true } : decision;
    }
    const limit = this.current.burstLimitPerSecond;
    if (limit !== null) {
      const now = this.now();
      const window = (this.burstWindows.get(operation) ?? []).filter((t) => t > now - 1000);
      if (window.length >= limit) {
        this.burstWindows.set(operation, window);
        const resetAt = (window[0] ?? now) + 1000;
        return this.rateLimited(limit, resetAt, 'jira-burst-based');
      }
      window.push(now);
      this.burstWindows.set(operation, window);
    }
    return null;
  }

  /** Per-issue write limit, checked for each write to an existing issue. */
  beforeIssueWrite(issueId: string): FaultDecision | null {
    const limits = this.current.perIssueWriteLimits;
    if (limits.length === 0) return null;
    const now = this.now();
    const longest = Math.max(...limits.map((l) => l.windowMs));
    const writes = (this.issueWrites.get(issueId) ?? []).filter((t) => t > now - longest);
    for (const limit of limits) {
      const inWindow = writes.filter((t) => t > now - limit.windowMs);
      if (inWindow.length >= limit.writes) {
        this.issueWrites.set(issueId, writes);
        return this.rateLimited(limit.writes, (inWindow[0] ?? now) + limit.windowMs, 'jira-per-issue-on-write');
      }
    }
    writes.push(now);
    this.issueWrites.set(issueId, writes);
    return null;
  }

  private rateLimited(limit: number, resetAt: number, reason: string): FaultDecision {
    const retryAfter = Math.max(1, Math.ceil((resetAt - this.now()) / 1000));
    return {
      status: 429,
      headers: {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': new Date(resetAt).toISOString(),
        'ratelimit-reason': reason,
      },
      message: 'Rate limit exceeded.',
    };
  }

  private injected(fault: JiraInjectedFault): FaultDecision {
    const headers: Record<string, string> = {};
    if (fault.status === 429) {
      const retryAfter = fault.retryAfterSeconds ?? 5;
      return this.rateLimited(1, this.now() + retryAfter * 1000, fault.reason ?? 'jira-quota-global-based');
    }
    if (fault.status === 503 || fault.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(fault.retryAfterSeconds ?? 5);
    const message =
      fault.status === 503
        ? 'Service Unavailable'
        : fault.status === 500
          ? 'Internal server error'
          : fault.status === 502
            ? 'Bad Gateway'
            : 'Gateway Timeout';
    return { status: fault.status, headers, message };
  }
}

const FaultFlagsSchema = z.object({
  latencyMs: z.coerce.number().int().min(0).max(60_000).optional(),
  burstLimitPerSecond: z.coerce.number().int().min(1).optional(),
  perIssueWriteLimit: z.enum(['jira', 'off']).optional(),
  searchIndexLagMs: z.coerce.number().int().min(0).max(600_000).optional(),
  searchIndexSeed: z.coerce.number().int().min(0).optional(),
  pointsPerHour: z.union([z.literal('off'), z.coerce.number().int().min(1)]).optional(),
  quotaTier: z.enum(['global', 'tenant']).optional(),
});

/**
 * Parses `--jira-latency-ms=…`, `--jira-burst-limit=…`, `--jira-per-issue-limit=jira|off`,
 * `--jira-search-lag-ms=…` (a fixed lag instead of the seeded random one), `--jira-search-lag-seed=…`,
 * `--jira-points-per-hour=N|off`, `--jira-quota-tier=global|tenant` (for `npm start`).
 * Unknown `--jira-*` flags are errors.
 */
export function parseJiraFaultFlags(
  argv: string[],
): { ok: true; settings: Partial<JiraFaultSettings> } | { ok: false; error: string } {
  const raw: Record<string, string> = {};
  const names: Record<string, keyof z.infer<typeof FaultFlagsSchema>> = {
    'jira-latency-ms': 'latencyMs',
    'jira-burst-limit': 'burstLimitPerSecond',
    'jira-per-issue-limit': 'perIssueWriteLimit',
    'jira-search-lag-ms': 'searchIndexLagMs',
    'jira-search-lag-seed': 'searchIndexSeed',
    'jira-points-per-hour': 'pointsPerHour',
    'jira-quota-tier': 'quotaTier',
  };
  for (const arg of argv) {
    const m = /^--(jira-[a-z-]+)=(.*)$/.exec(arg);
    if (!m) continue;
    const name = names[m[1]!];
    if (!name)
      return {
        ok: false,
        error: `Unknown flag --${m[1]} (known: ${Object.keys(names)
          .map((n) => `--${n}`)
          .join(', ')})`,
      };
    raw[name] = m[2]!;
  }
  const parsed = FaultFlagsSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const settings: Partial<JiraFaultSettings> = {};
  if (parsed.data.latencyMs !== undefined) settings.latencyMs = parsed.data.latencyMs;
  if (parsed.data.burstLimitPerSecond !== undefined) settings.burstLimitPerSecond = parsed.data.burstLimitPerSecond;
  if (parsed.data.perIssueWriteLimit === 'off') settings.perIssueWriteLimits = [];
  if (parsed.data.searchIndexLagMs !== undefined)
    settings.searchIndexLag = { kind: 'fixed', ms: parsed.data.searchIndexLagMs };
  else if (parsed.data.searchIndexSeed !== undefined)
    settings.searchIndexLag = { kind: 'random', seed: parsed.data.searchIndexSeed };
  if (parsed.data.pointsPerHour !== undefined)
    settings.pointsPerHour = parsed.data.pointsPerHour === 'off' ? null : parsed.data.pointsPerHour;
  if (parsed.data.quotaTier !== undefined) settings.quotaTier = parsed.data.quotaTier;
  return { ok: true, settings };
}
