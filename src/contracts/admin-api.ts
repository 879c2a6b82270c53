import { z } from 'zod';

/**
 * The admin page ↔ resolver contract, shared by src/handlers/admin-resolver.ts and static/admin.
 * Every resolver answers `{ ok: true, data }` or `{ ok: false, error: { code, message, details? } }`.
 */

export const ERROR_CODES = ['FORBIDDEN', 'VALIDATION_FAILED', 'CONFLICT', 'NOT_FOUND', 'UPSTREAM_FAILED', 'INTERNAL'] as const;
export type AdminErrorCode = (typeof ERROR_CODES)[number];

export interface AdminError {
  code: AdminErrorCode;
  message: string;
  details?: unknown;
}

export type AdminResult<T> = { ok: true; data: T } | { ok: false; error: AdminError };

export const AppStatusSchema = z.object({
  webTriggerUrl: z.string().url(),
  lastHealthRunAt: z.string().nullable(),
});
export type AppStatus = z.infer<typeof AppStatusSchema>;

/** Resolver keys (namespaced) → request payload schema and response data type. */
export const adminApi = {
  'app/status': { request: z.object({}).strict(), response: AppStatusSchema },
} as const;

export type AdminApiKey = keyof typeof adminApi;
export type AdminRequest<K extends AdminApiKey> = z.infer<(typeof adminApi)[K]['request']>;
export type AdminResponse<K extends AdminApiKey> = z.infer<(typeof adminApi)[K]['response']>;
