import { randomBytes } from 'node:crypto';
import type { SignatureSecrets } from '../domain/signature';
import type { SecretStore, StoredSecrets } from './ports';

/**
 * The shared secret the platform signs ingest requests with (README "Ingest contract"): generated on first
 * use, rotated with a grace period during which the previous secret is still accepted.
 */

export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{32,256}$/;

export function generateSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Returns the current signing secret, creating it when there is none: `initial` when given (e.g.
 * the sandbox's demo secret, so the platform emulator and `npm run send` share it), else random.
 */
export async function ensureSigningSecret(
  deps: { secrets: SecretStore; now: () => Date },
  options: { initial?: string } = {},
): Promise<string> {
  const existing = await deps.secrets.read();
  if (existing) return existing.current;
  if (options.initial !== undefined && !SECRET_PATTERN.test(options.initial)) {
    throw new RangeError('A signing secret must be 32-256 characters of letters, digits, "-" or "_"');
  }
  const secrets: StoredSecrets = { current: options.initial ?? generateSecret(), createdAt: deps.now().toISOString() };
  if (await deps.secrets.createIfAbsent(secrets)) return secrets.current;
  const winner = await deps.secrets.read();
  if (!winner) throw new Error('The signing secret vanished while it was being created');
  return winner.current;
}

/** Replaces the current secret; the old one stays valid for `graceSeconds`. Returns the new secret. */
export async function rotateSigningSecret(
  deps: { secrets: SecretStore; now: () => Date },
  options: { graceSeconds?: number; newSecret?: string } = {},
): Promise<{ current: string; previousExpiresAt: string | null }> {
  const now = deps.now();
  const existing = await deps.secrets.read();
  const newSecret = options.newSecret ?? generateSecret();
  if (!SECRET_PATTERN.test(newSecret))
    throw new RangeError('A signing secret must be 32-256 characters of letters, digits, "-" or "_"');
  const grace = Math.max(0, options.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS);
  const previousExpiresAt = existing && grace > 0 ? new Date(now.getTime() + grace * 1000).toISOString() : undefined;
  await deps.secrets.write({
    current: newSecret,
    createdAt: now.toISOString(),
    ...(existing && previousExpiresAt ? { previous: existing.current, previousExpiresAt } : {}),
  });
  return { current: newSecret, previousExpiresAt: previousExpiresAt ?? null };
}

/** The secrets that verify a request now: the current one, and the previous one until its grace ends. */
export function activeSecrets(stored: StoredSecrets, now: Date): SignatureSecrets {
  const previousValid =
    stored.previous !== undefined &&
    stored.previousExpiresAt !== undefined &&
    Date.parse(stored.previousExpiresAt) > now.getTime();
  return { current: stored.current, ...(previousValid ? { previous: stored.previous } : {}) };
}
