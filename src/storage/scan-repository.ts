import { Queue } from '@forge/events';
import { z } from 'zod';
import type { HeldScan, ScanQueue, ScanRecord, ScanStore } from '../usecases/scan-ports';
import { BULK_JOB_QUEUE_NAME } from './bulk-job-repository';
import { keys } from './keys';
import { batchDeleteKeys, batchSetValues } from './kvs-batch';
import { kvs } from './kvs-client';
import { storageCall } from './kvs-errors';
import { queryPrefixPage } from './kvs-scan';

/**
 * Complete scans: the scan record (`scan:<id>`: scope, the reported finding keys) written before the
 * ingest answers 202, and the hold (`scan-held:<id>`) that waits for an admin. Both expire after 30
 * days: a held scan nobody confirmed closes nothing.
 */
const SCAN_TTL_DAYS = 30;

const ScanRecordSchema = z.object({
  scanId: z.string(),
  scope: z.object({ source: z.string(), asset: z.string(), tool: z.string(), category: z.string() }),
  scopeId: z.string(),
  label: z.string(),
  receivedAt: z.string(),
  reported: z.number().int().min(0),
  present: z.string(),
});

const HeldScanSchema = z.object({
  scanId: z.string(),
  scopeId: z.string(),
  label: z.string(),
  receivedAt: z.string(),
  heldAt: z.string(),
  reported: z.number().int().min(0),
  open: z.number().int().min(0),
  missing: z.number().int().min(0),
  confirmedAt: z.string().optional(),
  confirmedBy: z.string().optional(),
});

const ttl = { value: SCAN_TTL_DAYS, unit: 'DAYS' as const };

export const scanRepository: ScanStore = {
  async saveMany(scans: ReadonlyArray<ScanRecord>) {
    await batchSetValues(
      scans.map((scan) => ({ key: keys.scan(scan.scanId), value: scan, ttlSeconds: SCAN_TTL_DAYS * 86_400 })),
    );
  },
  async get(scanId: string) {
    const raw = await kvs.get(keys.scan(scanId));
    if (raw === undefined) return undefined;
    const parsed = ScanRecordSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`Scan record ${scanId} is corrupt: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  },
  async hold(held: HeldScan) {
    await kvs.set(keys.heldScan(held.scanId), held, { ttl });
  },
  async getHeld(scanId: string) {
    const parsed = HeldScanSchema.safeParse(await kvs.get(keys.heldScan(scanId)));
    return parsed.success ? parsed.data : undefined;
  },
  async listHeld(cursor?: string) {
    const page = await queryPrefixPage(keys.heldScanPrefix(), { limit: 20, ...(cursor ? { cursor } : {}) });
    const scans = page.results.flatMap((r) => {
      const parsed = HeldScanSchema.safeParse(r.value);
      return parsed.success ? [parsed.data] : [];
    });
    return { scans, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
  },
  async finish(scanId: string) {
    await batchDeleteKeys([keys.heldScan(scanId), keys.scan(scanId)]);
  },
};

const queue = new Queue({ key: BULK_JOB_QUEUE_NAME });

/** Closing work of complete scans rides the `admin-jobs` queue (body `{scanClose, force?}`). */
export const scanQueue: ScanQueue = {
  async publish(scanIds: ReadonlyArray<string>, options: { force?: boolean } = {}) {
    for (let i = 0; i < scanIds.length; i += 50) {
      await storageCall(() =>
        queue.push(
          scanIds.slice(i, i + 50).map((scanId) => ({
            body: { scanClose: scanId, ...(options.force ? { force: true } : {}) },
          })),
        ),
      );
    }
  },
};
