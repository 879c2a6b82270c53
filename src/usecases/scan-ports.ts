import type { Finding } from '../domain/finding';
import type { ScanScope } from '../domain/scan-scope';

/** What complete scans need from storage (adapters: `storage/scope-index-repository.ts`, `scan-repository.ts`). */

/** One open finding of a scope, as the scope index lists it: enough to close it without another read. */
export type ScopeIndexEntry = { findingKey: string; source: string; lane: string; finding: Finding };

export type ScopeIndexChange =
  | { scopeId: string; findingKey: string; open: true; entry: ScopeIndexEntry }
  | { scopeId: string; findingKey: string; open: false };

export interface ScopeIndexStore {
  /** Lists open findings and removes closed ones (≤ 25 keys per KVS request). */
  apply(changes: ReadonlyArray<ScopeIndexChange>): Promise<void>;
  /** One KVS page (≤ 20) of a scope's open findings, from `cursor` on. */
  page(scopeId: string, cursor?: string): Promise<{ entries: ScopeIndexEntry[]; cursor?: string }>;
}

/** A complete scan waiting to be applied: written before the ingest answers 202. */
export type ScanRecord = {
  scanId: string;
  scope: ScanScope;
  scopeId: string;
  label: string;
  receivedAt: string;
  /** How many findings of the scope the post reported. */
  reported: number;
  /** The reported finding keys (`packFindingKeys`). */
  present: string;
};

/** A complete scan held for an admin's confirmation (the Health tab lists these). */
export type HeldScan = {
  scanId: string;
  scopeId: string;
  label: string;
  receivedAt: string;
  heldAt: string;
  reported: number;
  open: number;
  missing: number;
  /** An admin pressed Apply (the closing is queued). */
  confirmedAt?: string;
  confirmedBy?: string;
};

export interface ScanStore {
  saveMany(scans: ReadonlyArray<ScanRecord>): Promise<void>;
  get(scanId: string): Promise<ScanRecord | undefined>;
  hold(held: HeldScan): Promise<void>;
  getHeld(scanId: string): Promise<HeldScan | undefined>;
  listHeld(cursor?: string): Promise<{ scans: HeldScan[]; cursor?: string }>;
  /** Removes the scan and its hold, if any (applied or discarded). */
  finish(scanId: string): Promise<void>;
}

export interface ScanQueue {
  /** Queues the closing of a scan (`admin-jobs` queue). */
  publish(scanIds: ReadonlyArray<string>, options?: { force?: boolean }): Promise<void>;
}
