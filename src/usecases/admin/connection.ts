import { randomUUID } from 'node:crypto';
import type { AdminResult, ConnectionTestResult, ConnectionView } from '../../contracts/admin-api';
import { rotateSigningSecret } from '../signing-secrets';
import { resolvePlatformCallbackSettings, type SyncConfig } from '../../domain/config';
import type { PlatformPinger, SecretReaderWriter } from './admin-ports';

/**
 * The Connection section: where the platform sends findings (the web trigger URL), the shared
 * secret (its value is returned only by `rotateSecret`, never by `getConnection`), and a signed
 * test ping to the platform's callback URL (`platform` in the sync configuration, saved with it).
 */

export type ConnectionDeps = {
  secrets: SecretReaderWriter;
  config: () => Promise<SyncConfig>;
  webTriggerUrl: () => Promise<string>;
  lastHealthRunAt: () => Promise<string | null>;
  pinger: PlatformPinger;
  now: () => Date;
};

export async function getConnection(deps: ConnectionDeps): Promise<AdminResult<ConnectionView>> {
  const [webTriggerUrl, secrets, lastHealthRunAt] = await Promise.all([
    deps.webTriggerUrl(),
    deps.secrets.read(),
    deps.lastHealthRunAt(),
  ]);
  const previousLive =
    secrets?.previousExpiresAt !== undefined && Date.parse(secrets.previousExpiresAt) > deps.now().getTime();
  return {
    ok: true,
    data: {
      webTriggerUrl,
      secret: {
        exists: secrets !== undefined,
        createdAt: secrets?.createdAt ?? null,
        previousExpiresAt: previousLive ? secrets.previousExpiresAt! : null,
      },
      lastHealthRunAt,
    },
  };
}

/**
 * Creates the first secret or replaces the current one (still accepted for `graceHours`). The only answer that carries
 * a secret.
 */
export async function rotateSecret(
  input: { graceHours: number },
  deps: Pick<ConnectionDeps, 'secrets' | 'now'>,
): Promise<AdminResult<{ secret: string; createdAt: string; previousExpiresAt: string | null }>> {
  const now = deps.now();
  const rotated = await rotateSigningSecret(
    { secrets: deps.secrets, now: () => now },
    { graceSeconds: input.graceHours * 3600 },
  );
  return {
    ok: true,
    data: { secret: rotated.current, createdAt: now.toISOString(), previousExpiresAt: rotated.previousExpiresAt },
  };
}

/** Sends a signed `ping` event to the saved callback URL and reports what came back. */
export async function testConnection(
  deps: Pick<ConnectionDeps, 'secrets' | 'config' | 'pinger' | 'now'>,
): Promise<AdminResult<ConnectionTestResult>> {
  const [config, secrets] = await Promise.all([deps.config(), deps.secrets.read()]);
  const platform = resolvePlatformCallbackSettings(config);
  if (!platform.baseUrl) {
    return {
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Save the platform base URL first.',
        details: [{ path: 'config.platform.baseUrl', message: 'Enter the base URL the app sends callbacks to' }],
      },
    };
  }
  const url = `${platform.baseUrl}${platform.path}`;
  if (!secrets) {
    return {
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Generate the shared secret first: the ping is signed with it.',
        details: [{ path: 'secret', message: 'No shared secret yet' }],
      },
    };
  }
  const started = Date.now();
  const body = JSON.stringify({ event: 'ping', id: randomUUID(), sentAt: deps.now().toISOString() });
  const outcome = await deps.pinger.postSigned(url, body, secrets.current);
  const latencyMs = Date.now() - started;
  if ('error' in outcome) {
    return { ok: true, data: { url, reachable: false, status: null, latencyMs, message: outcome.error } };
  }
  const verdict =
    outcome.status >= 200 && outcome.status < 300
      ? 'accepted the signed ping'
      : outcome.status === 401 || outcome.status === 403
        ? 'refused the signature (is it using the current shared secret?)'
        : `answered HTTP ${outcome.status}`;
  return {
    ok: true,
    data: {
      url,
      reachable: true,
      status: outcome.status,
      latencyMs,
      message: `The platform ${verdict}${outcome.body ? `: ${outcome.body}` : ''}`,
    },
  };
}
