import { randomUUID } from 'node:crypto';
import type { AdminResult, ConnectionTestResult, ConnectionView } from '../../contracts/admin-api';
import { rotateSigningSecret } from '../signing-secrets';
import type { ConnectionSettingsStore, PlatformPinger, SecretReaderWriter } from './admin-ports';

/**
 * The Connection section: where the platform sends findings (the web trigger URL), the shared
 * secret (its value is returned only by `rotateSecret`, never by `getConnection`), the platform's
 * callback URL, and a signed test ping.
 */

export type ConnectionDeps = {
  secrets: SecretReaderWriter;
  settings: ConnectionSettingsStore;
  webTriggerUrl: () => Promise<string>;
  lastHealthRunAt: () => Promise<string | null>;
  pinger: PlatformPinger;
  now: () => Date;
};

export async function getConnection(deps: ConnectionDeps): Promise<AdminResult<ConnectionView>> {
  const [webTriggerUrl, secrets, settings, lastHealthRunAt] = await Promise.all([deps.webTriggerUrl(), deps.secrets.read(), deps.settings.read(), deps.lastHealthRunAt()]);
  const previousLive = secrets?.previousExpiresAt !== undefined && Date.parse(secrets.previousExpiresAt) > deps.now().getTime();
  return {
    ok: true,
    data: {
      webTriggerUrl,
      secret: { exists: secrets !== undefined, createdAt: secrets?.createdAt ?? null, previousExpiresAt: previousLive ? secrets!.previousExpiresAt! : null },
      callbackUrl: settings.callbackUrl,
      lastHealthRunAt,
    },
  };
}

/** Creates the first secret or replaces the current one (still accepted for `graceHours`). The only answer that carries a secret. */
export async function rotateSecret(input: { graceHours: number }, deps: Pick<ConnectionDeps, 'secrets' | 'now'>): Promise<AdminResult<{ secret: string; createdAt: string; previousExpiresAt: string | null }>> {
  const now = deps.now();
  const rotated = await rotateSigningSecret({ secrets: deps.secrets, now: () => now }, { graceSeconds: input.graceHours * 3600 });
  return { ok: true, data: { secret: rotated.current, createdAt: now.toISOString(), previousExpiresAt: rotated.previousExpiresAt } };
}

export async function saveConnection(input: { callbackUrl: string }, deps: Pick<ConnectionDeps, 'settings' | 'now'>): Promise<AdminResult<{ callbackUrl: string }>> {
  await deps.settings.write({ callbackUrl: input.callbackUrl }, deps.now());
  return { ok: true, data: { callbackUrl: input.callbackUrl } };
}

/** Sends a signed `ping` event to the callback URL and reports what came back. */
export async function testConnection(deps: Pick<ConnectionDeps, 'secrets' | 'settings' | 'pinger' | 'now'>): Promise<AdminResult<ConnectionTestResult>> {
  const [settings, secrets] = await Promise.all([deps.settings.read(), deps.secrets.read()]);
  if (!settings.callbackUrl) {
    return { ok: false, error: { code: 'VALIDATION_FAILED', message: 'Save the platform callback URL first.', details: [{ path: 'callbackUrl', message: 'Enter the URL the app sends callbacks to' }] } };
  }
  if (!secrets) {
    return { ok: false, error: { code: 'VALIDATION_FAILED', message: 'Generate the shared secret first: the ping is signed with it.', details: [{ path: 'secret', message: 'No shared secret yet' }] } };
  }
  const started = Date.now();
  const body = JSON.stringify({ event: 'ping', id: randomUUID(), sentAt: deps.now().toISOString() });
  const outcome = await deps.pinger.postSigned(settings.callbackUrl, body, secrets.current);
  const latencyMs = Date.now() - started;
  if ('error' in outcome) {
    return { ok: true, data: { url: settings.callbackUrl, reachable: false, status: null, latencyMs, message: outcome.error } };
  }
  const verdict = outcome.status >= 200 && outcome.status < 300 ? 'accepted the signed ping' : outcome.status === 401 || outcome.status === 403 ? 'refused the signature (is it using the current shared secret?)' : `answered HTTP ${outcome.status}`;
  return { ok: true, data: { url: settings.callbackUrl, reachable: true, status: outcome.status, latencyMs, message: `The platform ${verdict}${outcome.body ? `: ${outcome.body}` : ''}` } };
}
