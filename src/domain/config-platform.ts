import { z } from 'zod';

/**
 * Where callbacks go: `POST <baseUrl><path>`, signed like ingest requests. The origin of `baseUrl` must be in
 * the manifest's `permissions.external.fetch.backend` (`${PLATFORM_ORIGIN}`), or Forge blocks it.
 * Optional in the document so older documents stay valid; `resolvePlatformCallbackSettings` fills
 * the defaults.
 */
export const DEFAULT_CALLBACK_PATH = '/api/jira-sync/callbacks';
export const DEFAULT_CALLBACK_DEADLINE_SECONDS = 24 * 3600;
export const PlatformCallbackConfigSchema = z.object({
  baseUrl: z
    .string()
    .trim()
    .max(500)
    .refine(
      (value) => /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(value) && URL.canParse(value),
      'Must be an http(s) URL such as https://api.platform.example',
    )
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  path: z
    .string()
    .trim()
    .max(300)
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'Must be a URL path starting with "/" (no query string)')
    .default(DEFAULT_CALLBACK_PATH),
  /** Send callbacks at all (off: nothing is queued). */
  enabled: z.boolean().default(true),
  /** After this long without a successful delivery a callback becomes a dead letter. */
  deadlineSeconds: z
    .number()
    .int()
    .min(60, 'Must be at least 60 seconds')
    .max(30 * 24 * 3600, 'Must be at most 30 days')
    .default(DEFAULT_CALLBACK_DEADLINE_SECONDS),
});
export type PlatformCallbackConfig = z.output<typeof PlatformCallbackConfigSchema>;

/** The callback settings with every default applied. */
export function resolvePlatformCallbackSettings(config: { platform?: PlatformCallbackConfig }): PlatformCallbackConfig {
  return config.platform ?? PlatformCallbackConfigSchema.parse({});
}
