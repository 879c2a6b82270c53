import Resolver from '@forge/resolver';
import { webTrigger } from '@forge/api';
import { adminApi, type AdminApiKey, type AdminResult } from '../contracts/admin-api';
import { isCallerJiraAdmin } from '../jira/permissions';
import { healthRepository } from '../storage/health-repository';

/**
 * Admin page resolver (manifest: `admin-page`). Every call is checked on the server: the caller
 * must be a Jira admin, and the payload must match the contract schema.
 */
const resolver = new Resolver();

type Handler<K extends AdminApiKey> = (payload: unknown) => Promise<AdminResult<unknown>>;

function define<K extends AdminApiKey>(key: K, run: (payload: never) => Promise<AdminResult<unknown>>): void {
  const handler: Handler<K> = async (payload) => {
    if (!(await isCallerJiraAdmin())) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Only Jira administrators can configure Finding Sync.' } };
    }
    const parsed = adminApi[key].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid.',
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      };
    }
    return run(parsed.data as never);
  };
  resolver.define(key, ({ payload }) => handler(payload));
}

define('app/status', async () => {
  const [webTriggerUrl, lastRun] = await Promise.all([webTrigger.getUrl('ingest-webtrigger'), healthRepository.lastRun()]);
  return { ok: true, data: { webTriggerUrl, lastHealthRunAt: lastRun?.at ?? null } };
});

export const adminResolver = resolver.getDefinitions();
