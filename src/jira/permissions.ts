import { asUser, route } from '@forge/api';
import { z } from 'zod';
import { parseRetryAfterMs } from '../domain/retry-after';
import type { AdminAnswer } from '../usecases/admin/admin-check';
import { quotaResetAt } from './jira-client';

const MyPermissionsSchema = z.object({
  permissions: z.object({ ADMINISTER: z.object({ havePermission: z.boolean() }) }),
});

/**
 * Whether the calling user is a Jira administrator, asked of Jira as that user. A 429 whose `RateLimit-Reason` is
 * `jira-quota-*` is not a no: Jira refused to answer because the app's hourly points quota is spent, and says when it
 * comes back. Any other failure is a no (fail closed).
 */
export async function askCallerJiraAdmin(): Promise<AdminAnswer> {
  const response = await asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`, {
    headers: { Accept: 'application/json' },
  });
  const limitReason = response.headers.get('ratelimit-reason') ?? '';
  if (response.status === 429 && limitReason.startsWith('jira-quota')) {
    const now = new Date();
    const retryAfter = parseRetryAfterMs(response.headers.get('retry-after'), now.getTime());
    return { kind: 'quota-spent', resetAt: quotaResetAt(response.headers, retryAfter, now), limitReason };
  }
  if (!response.ok) return { kind: 'no' };
  const parsed = MyPermissionsSchema.safeParse(await response.json());
  return { kind: parsed.success && parsed.data.permissions.ADMINISTER.havePermission ? 'yes' : 'no' };
}
