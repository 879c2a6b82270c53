import { asUser, route } from '@forge/api';
import { z } from 'zod';

const MyPermissionsSchema = z.object({
  permissions: z.object({ ADMINISTER: z.object({ havePermission: z.boolean() }) }),
});

/** True when the calling user is a Jira administrator (checked on the server, as that user). */
export async function isCallerJiraAdmin(): Promise<boolean> {
  const response = await asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`, {
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) return false;
  const parsed = MyPermissionsSchema.safeParse(await response.json());
  return parsed.success && parsed.data.permissions.ADMINISTER.havePermission;
}
