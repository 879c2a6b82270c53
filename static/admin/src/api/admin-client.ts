import { invoke } from '@forge/bridge';
import { z } from 'zod';
import {
  adminApi,
  ERROR_CODES,
  type AdminApiKey,
  type AdminError,
  type AdminRequest,
  type AdminResponse,
  type AdminResult,
} from '../../../../src/contracts/admin-api';

/**
 * The admin page's only way to the backend: `@forge/bridge` `invoke`, with every answer parsed
 * against the shared contract (src/contracts) before the UI sees it.
 */

const AdminErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
});

/** The backend answered, but not in the contract's shape (an app bug, or a front/back version skew). */
export class AdminProtocolError extends Error {
  constructor(key: string, issues: string) {
    super(`The app's backend sent an unexpected answer to '${key}': ${issues}`);
    this.name = 'AdminProtocolError';
  }
}

function envelopeSchemaFor<K extends AdminApiKey>(key: K) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data: adminApi[key].response }),
    z.object({ ok: z.literal(false), error: AdminErrorSchema }),
  ]);
}

/**
 * Calls the admin resolver `key`. Resolves with the resolver's `{ok, data} | {ok:false, error}`
 * envelope; rejects when the bridge call itself fails (resolver crashed, network) or the answer
 * breaks the contract.
 */
export async function callAdmin<K extends AdminApiKey>(
  key: K,
  payload: AdminRequest<K>,
): Promise<AdminResult<AdminResponse<K>>> {
  const answer: unknown = await invoke(key, payload as Record<string, unknown>);
  const parsed = envelopeSchemaFor(key).safeParse(answer);
  if (!parsed.success) {
    throw new AdminProtocolError(
      key,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  if (parsed.data.ok) return { ok: true, data: parsed.data.data as AdminResponse<K> };
  const error: AdminError = { code: parsed.data.error.code, message: parsed.data.error.message };
  if (parsed.data.error.details !== undefined) error.details = parsed.data.error.details;
  return { ok: false, error };
}
