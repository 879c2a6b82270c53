import Resolver from '@forge/resolver';
import { z } from 'zod';
import {
  adminApi,
  type AdminApiKey,
  type AdminParsedRequest,
  type AdminResponse,
  type AdminResult,
} from '../contracts/admin-api';
import { formatIssuePath } from '../domain/validation';
import { checkJiraAdmin, type AdminAccess } from '../usecases/admin/admin-check';
import { bulkJobDeps, buildAdminCheckDeps, createAdminDeps, type AdminDeps } from '../composition';
import { resumeBulkJob, startBulkJob } from '../usecases/admin/bulk-jobs';
import { getConnection, rotateSecret, testConnection } from '../usecases/admin/connection';
import { getCallbackHealth, listDeadCallbacks, replayCallback } from '../usecases/admin/callback-health';
import { getHealth, listDeadLetters } from '../usecases/admin/health';
import { applyHeldScan, discardHeldScan, listHeldScans } from '../usecases/admin/held-scans';
import { replayDeadLetter } from '../usecases/admin/replay-dead-letter';
import { saveConfig } from '../usecases/admin/save-config';
import { loadProjectOrNull } from '../usecases/admin/site-check';
import { getTestFindingStatus, sendTestFinding } from '../usecases/admin/test-finding';
import { JiraApiError, QuotaExhaustedError, TransientError } from '../usecases/errors';

/**
 * Admin page resolver (manifest: `admin-page`). Every call is checked on the server: the caller
 * must be a Jira admin (Jira's own ADMINISTER permission, asked as the caller), and the payload
 * must match the contract schema. Known failures become `{ok: false, error}`; anything else is
 * rethrown so Forge records it and the page shows that the call failed.
 */
const resolver = new Resolver();

type Run<K extends AdminApiKey> = (
  payload: AdminParsedRequest<K>,
  deps: AdminDeps,
) => Promise<AdminResult<AdminResponse<K>>>;

/** The function keys defined below; any other (`constructor`, `__proto__`, a typo) is answered NOT_FOUND. */
const definedKeys = new Set<string>();

const NOT_FOUND: AdminResult<never> = {
  ok: false,
  error: { code: 'NOT_FOUND', message: 'Finding Sync has no admin function with this name.' },
};

const FORBIDDEN: AdminResult<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'Only Jira administrators can configure Finding Sync.' },
};

/**
 * Jira's hourly points quota for the app is spent until `resetAt`. The message names the time in UTC (the server
 * does not know the viewer's time zone); `details.until` lets the page say it in the viewer's.
 */
function quotaSpent(resetAt: Date, limitReason: string, what: string): AdminResult<never> {
  const until = resetAt.toISOString();
  return {
    ok: false,
    error: {
      code: 'QUOTA_EXHAUSTED',
      message: `Jira's hourly quota for this app is used up until ${until.slice(11, 16)} UTC; ${what}`,
      details: { until, reason: limitReason },
    },
  };
}

/** Jira's refusals and outages, said once for every resolver. */
function translateError(error: unknown): AdminResult<never> {
  if (error instanceof QuotaExhaustedError)
    return quotaSpent(error.resetAt, error.limitReason, 'Jira cannot be asked until then.');
  if (error instanceof TransientError) {
    return {
      ok: false,
      error: {
        code: 'UPSTREAM_FAILED',
        message: `Jira is busy or unavailable; try again in ${Math.ceil(error.retryAfterMs / 1000)} s.`,
        details: { retryAfterMs: error.retryAfterMs },
      },
    };
  }
  if (error instanceof JiraApiError) {
    return {
      ok: false,
      error: {
        code: 'UPSTREAM_FAILED',
        message: `Jira refused a request the app made: ${error.message}`,
        details: { status: error.status, errors: error.errors, errorMessages: error.errorMessages },
      },
    };
  }
  throw error;
}

/**
 * `access: 'read'` marks a resolver that changes nothing and, while Jira's hourly quota is spent, asks Jira nothing
 * (it shows what the app stored): then an admin Jira confirmed earlier may still call it (see `checkJiraAdmin`).
 */
function define<K extends AdminApiKey>(key: K, run: Run<K>, access: AdminAccess = 'write'): void {
  definedKeys.add(key);
  resolver.define(key, async ({ payload, context }) => {
    const caller = typeof context?.accountId === 'string' ? context.accountId : undefined;
    const verdict = await checkJiraAdmin(caller, access, buildAdminCheckDeps());
    if (!verdict.allowed && verdict.reason === 'quota-spent')
      return quotaSpent(
        verdict.resetAt,
        verdict.limitReason,
        access === 'read'
          ? 'Finding Sync cannot check that you are a Jira administrator until then.'
          : 'Finding Sync cannot check that you are a Jira administrator, so nothing can be changed until then.',
      );
    if (!verdict.allowed) return FORBIDDEN;
    const parsed = adminApi[key].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Some values are not valid. Nothing was saved.',
          details: parsed.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })),
        },
      };
    }
    const accountId = typeof context?.accountId === 'string' ? context.accountId : 'unknown';
    try {
      return await run(parsed.data as AdminParsedRequest<K>, createAdminDeps(accountId));
    } catch (error) {
      return translateError(error);
    }
  });
}

define(
  'app/status',
  async (_payload, deps) => ({
    ok: true,
    data: { webTriggerUrl: await deps.webTriggerUrl(), lastHealthRunAt: await deps.lastHealthRunAt() },
  }),
  'read',
);

define('config/get', async (_payload, deps) => ({ ok: true, data: await deps.configs.load() }), 'read');
define('config/save', (payload, deps) => saveConfig(payload, deps));

define('site/metadata', async (_payload, deps) => ({ ok: true, data: await deps.site.loadSiteMetadata() }));
define('site/project', async ({ projectKey }, deps) => {
  const details = await loadProjectOrNull(deps.site, projectKey);
  if (!details)
    return {
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: `Jira has no project with key ${projectKey}.`,
        details: [{ path: 'projectKey', message: 'No such project' }],
      },
    };
  return { ok: true, data: details };
});

define('connection/get', (_payload, deps) => getConnection(deps));
define('connection/rotate-secret', (payload, deps) => rotateSecret(payload, deps));
define('connection/test', (_payload, deps) => testConnection(deps));

define('health/get', (_payload, deps) => getHealth(deps), 'read');
define('dead-letters/replay', (payload, deps) => replayDeadLetter(payload, deps));
define('callbacks/health', (_payload, deps) => getCallbackHealth(deps), 'read');
define('callbacks/replay', (payload, deps) => replayCallback(payload, deps.callbackReplay));
define('callbacks/replay-all', (_payload, deps) =>
  startBulkJob('replay-dead-callbacks', deps.accountId, bulkJobDeps()),
);
define('callbacks/list-dead', (payload, deps) => listDeadCallbacks(payload, deps), 'read');
define('dead-letters/list', (payload, deps) => listDeadLetters(payload, deps), 'read');
define('dead-letters/replay-all', (_payload, deps) =>
  startBulkJob('replay-dead-letters', deps.accountId, bulkJobDeps()),
);
// Reading a job resumes it when Forge's event-chain limit paused it (this call starts a new chain).
define('jobs/get', async ({ kind }) => ({ ok: true, data: (await resumeBulkJob(kind, bulkJobDeps())) ?? null }));

define('scans/held', (payload, deps) => listHeldScans(payload, deps), 'read');
define('scans/apply', (payload, deps) => applyHeldScan(payload, deps));
define('scans/discard', (payload, deps) => discardHeldScan(payload, deps));

define('test-finding/send', (payload, deps) => sendTestFinding(payload, deps));
define('test-finding/status', (payload, deps) => getTestFindingStatus(payload, deps));

const definitions = resolver.getDefinitions();
const ResolverCallSchema = z.object({ call: z.object({ functionKey: z.string() }) });

/**
 * The manifest's resolver function. `@forge/resolver` finds a key with `in` on a plain object, so `constructor`,
 * `toString` or `__proto__` would reach `Object.prototype`'s members: a key that is not one of the app's is answered
 * NOT_FOUND here, before anything else (no permission check, no storage read).
 */
export const adminResolver: typeof definitions = async (request, runtime) => {
  const call = ResolverCallSchema.safeParse(request);
  if (!call.success || !definedKeys.has(call.data.call.functionKey)) return NOT_FOUND;
  return definitions(request, runtime);
};
