import { kvs } from './kvs-client';
import { UnmappedStatusSchema, type UnmappedStatus } from '../domain/unmapped-status';
import type { UnmappedStatusStore } from '../usecases/callback-ports';
import { callbackKeys } from './callback-keys';
import { scanPrefix } from './kvs-scan';

/**
 * Jira statuses (with their resolution) that the status map does not cover: one record per
 * project + status + resolution, overwritten with the latest example, kept 90 days. The admin
 * page lists them so the admin can add a rule; nothing is guessed meanwhile.
 */
const TTL_DAYS = 90;

export const unmappedStatusRepository: UnmappedStatusStore = {
  async report(report) {
    await kvs.set(callbackKeys.unmapped(report.projectKey, report.statusId, report.resolutionName ?? '-'), report, {
      ttl: { value: TTL_DAYS, unit: 'DAYS' },
    });
  },
  async list() {
    const out: UnmappedStatus[] = [];
    for await (const { value } of scanPrefix(callbackKeys.unmappedPrefix())) {
      const parsed = UnmappedStatusSchema.safeParse(value);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  },
};
