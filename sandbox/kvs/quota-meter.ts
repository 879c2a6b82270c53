/**
 * Forge's per-installation KVS quota (limits-kvs-ce): 4,000 reads and 4,000 writes per minute, where
 * a request counts as ceil(size / 10 KB) units ("Requests that are 10KB or smaller are counted as 1
 * request ... a request with a payload of 65KB will be rounded up to 70KB, resulting in a count of 7").
 * The sandbox measures a write by its request body and a read by its response body, and keeps a
 * sliding 60-second window.
 */
export type QuotaKind = 'read' | 'write' | 'batch';

export interface KvsQuotas {
  readsPerMinute: number;
  writesPerMinute: number;
  /**
   * Batch requests (batch/set|get|delete) per minute, counted as requests (not units) on top of the
   * read/write units. "Executing batch operations" (storage-reference/batchops, Feb 5, 2026): "You can
   * send a maximum of 45 batch operations per minute". The quota page (limits-kvs-ce) counts only
   * units; `Infinity` models that reading.
   */
  batchOperationsPerMinute: number;
  enforce: boolean;
}

export const FORGE_BATCH_OPERATIONS_PER_MINUTE = 45;

export const FORGE_KVS_QUOTAS: KvsQuotas = {
  readsPerMinute: 4000,
  writesPerMinute: 4000,
  batchOperationsPerMinute: FORGE_BATCH_OPERATIONS_PER_MINUTE,
  enforce: false,
};

export const QUOTA_UNIT_BYTES = 10 * 1024;
const WINDOW_MS = 60_000;

export function countQuotaUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / QUOTA_UNIT_BYTES));
}

interface UsageEntry {
  at: number;
  units: number;
}

export class QuotaMeter {
  private readonly windows: Record<QuotaKind, UsageEntry[]> = { read: [], write: [], batch: [] };

  constructor(
    private readonly now: () => number,
    private quotas: KvsQuotas,
  ) {}

  setEnforcement(enforce: boolean): void {
    this.quotas = { ...this.quotas, enforce };
  }

  get enforced(): boolean {
    return this.quotas.enforce;
  }

  /** Units used in the last minute. */
  usage(kind: QuotaKind): number {
    return this.prune(kind).reduce((sum, entry) => sum + entry.units, 0);
  }

  limit(kind: QuotaKind): number {
    if (kind === 'batch') return this.quotas.batchOperationsPerMinute;
    return kind === 'read' ? this.quotas.readsPerMinute : this.quotas.writesPerMinute;
  }

  /** True when quotas are enforced and `units` more would go over the per-minute limit. */
  wouldExceed(kind: QuotaKind, units: number): boolean {
    return this.quotas.enforce && this.usage(kind) + units > this.limit(kind);
  }

  record(kind: QuotaKind, units: number): void {
    this.windows[kind].push({ at: this.now(), units });
  }

  /** Whole seconds until enough usage leaves the window for `units` more to fit (at least 1). */
  secondsUntilRoom(kind: QuotaKind, units: number): number {
    const entries = this.prune(kind);
    let excess = entries.reduce((sum, entry) => sum + entry.units, 0) + units - this.limit(kind);
    const at = this.now();
    for (const entry of entries) {
      excess -= entry.units;
      if (excess <= 0) return Math.max(1, Math.ceil((entry.at + WINDOW_MS - at) / 1000));
    }
    return Math.ceil(WINDOW_MS / 1000);
  }

  private prune(kind: QuotaKind): UsageEntry[] {
    const entries = this.windows[kind];
    const cutoff = this.now() - WINDOW_MS;
    let stale = 0;
    while (stale < entries.length && (entries[stale] as UsageEntry).at <= cutoff) stale += 1;
    if (stale > 0) entries.splice(0, stale);
    return entries;
  }
}
