/**
 * Jira Cloud's hourly points quota for an app (enforced for Forge apps since 2026-03-02;
 * Atlassian, "Rate limiting", Jira Cloud platform). Every request costs a base point; a read adds
 * one point per object it returns; a write costs the base only. When an app's points for the
 * current hour are spent, every further request is answered 429 until the hour resets.
 *
 * Headers as Jira sends them (Atlassian's page and developers' logs on the community thread
 * "2026 point-based rate limits"): on every response
 *   `Beta-RateLimit-Policy: "<policy>";q=<quota>;w=3600` and
 *   `Beta-RateLimit: "<policy>";r=<remaining>;t=<seconds to reset>`;
 * on a 429 also `RateLimit-Reason: jira-quota-global-based | jira-quota-tenant-based`, `Retry-After`
 * and `X-RateLimit-Reset` (the reset instant, the top of the next UTC hour). See sandbox/jira/README.md.
 */

export type PointsQuotaTier = 'global' | 'tenant';

export interface PointsQuotaSettings {
  /** Points per hour; null = off (only where a test says why). */
  pointsPerHour: number | null;
  /** Tier 1 (one pool for the app across tenants; the default for apps) or Tier 2 (per tenant). */
  tier: PointsQuotaTier;
}

/** Tier 1 "Global Pool": 65,000 points per hour (Atlassian's announcement of the points model, 2026). */
export const DEFAULT_POINTS_PER_HOUR = 65_000;
/** Documented by developers only ("q=100100" for a tenant-tier app); guessed as the Tier 2 base. */
export const TENANT_TIER_POINTS_PER_HOUR = 100_000;
/** `GET /mypermissions` is reported as unusually expensive (~30 checks an hour); guessed cost. */
export const MYPERMISSIONS_POINTS = 2_000;

const HOUR_MS = 3_600_000;

export function defaultPointsQuota(): PointsQuotaSettings {
  return { pointsPerHour: DEFAULT_POINTS_PER_HOUR, tier: 'global' };
}

const LIST_KEYS = [
  'issues',
  'values',
  'fields',
  'transitions',
  'issueTypes',
  'projects',
  'statuses',
  'issueUpdates',
  'keys',
  'comments',
];

/** Objects a read returned: the length of its list (top-level array or the first known list field), else 1. */
export function objectsRead(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  if (typeof body !== 'object' || body === null) return 0;
  const record = body as Record<string, unknown>;
  for (const key of LIST_KEYS) {
    const list = record[key];
    if (Array.isArray(list)) return list.length;
  }
  return 1;
}

/** Points one call costs: base 1; reads add one per object returned; writes the base only. */
export function pointsFor(operation: string, method: string, status: number, body: unknown): number {
  if (status === 429) return 0;
  if (operation === 'GET /rest/api/3/mypermissions') return MYPERMISSIONS_POINTS;
  const read = method === 'GET' || (method === 'POST' && operation.endsWith('/search/jql'));
  if (!read || status >= 400) return 1;
  return 1 + objectsRead(body);
}

export interface QuotaDecision {
  status: 429;
  headers: Record<string, string>;
  message: string;
}

/** A fixed window per UTC hour, as the reset instants Jira reports (top of the hour) show. */
export class PointsQuota {
  private windowStart = -1;
  private used = 0;
  settings: PointsQuotaSettings = defaultPointsQuota();

  constructor(private readonly now: () => number) {}

  private roll(): number {
    const now = this.now();
    const start = Math.floor(now / HOUR_MS) * HOUR_MS;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    return now;
  }

  private get policy(): string {
    return this.settings.tier === 'tenant' ? 'tenant-app-quota' : 'global-app-quota';
  }

  /** Points left this hour (Infinity when off). */
  remaining(): number {
    this.roll();
    const quota = this.settings.pointsPerHour;
    return quota === null ? Infinity : Math.max(0, quota - this.used);
  }

  usedThisHour(): number {
    this.roll();
    return this.used;
  }

  resetAt(): number {
    this.roll();
    return this.windowStart + HOUR_MS;
  }

  /** 429 when this hour's points are spent; checked before the request is handled. */
  check(): QuotaDecision | null {
    const quota = this.settings.pointsPerHour;
    if (quota === null) return null;
    const now = this.roll();
    if (this.used < quota) return null;
    const resetAt = this.windowStart + HOUR_MS;
    const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
    return {
      status: 429,
      headers: {
        ...this.headers(),
        'retry-after': String(retryAfter),
        'ratelimit-reason': this.settings.tier === 'tenant' ? 'jira-quota-tenant-based' : 'jira-quota-global-based',
        'x-ratelimit-reset': new Date(resetAt).toISOString(),
      },
      message: 'Rate limit exceeded: the app has used its hourly points quota for this site.',
    };
  }

  charge(points: number): void {
    this.roll();
    this.used += points;
  }

  /** The `Beta-RateLimit*` headers every response carries while the quota is on. */
  headers(): Record<string, string> {
    const quota = this.settings.pointsPerHour;
    if (quota === null) return {};
    const now = this.roll();
    const seconds = Math.max(0, Math.ceil((this.windowStart + HOUR_MS - now) / 1000));
    return {
      'beta-ratelimit-policy': `"${this.policy}";q=${quota};w=3600`,
      'beta-ratelimit': `"${this.policy}";r=${Math.max(0, quota - this.used)};t=${seconds}`,
    };
  }

  reset(): void {
    this.settings = defaultPointsQuota();
    this.windowStart = -1;
    this.used = 0;
  }
}
