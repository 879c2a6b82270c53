import { kvs } from './kvs-client';
import { z } from 'zod';
import { ConflictError } from '../usecases/errors';
import { keys } from './keys';

/**
 * The ingest signing secrets, in KVS secret storage (encrypted, never returned by queries):
 * the current secret and, during a rotation grace period, the previous one with its expiry.
 */
export const StoredSigningSecretsSchema = z.object({
  current: z.string().min(32),
  createdAt: z.string(),
  previous: z.string().min(32).optional(),
  previousExpiresAt: z.string().optional(),
});
export type StoredSigningSecrets = z.output<typeof StoredSigningSecretsSchema>;

export const signingSecretRepository = {
  async read(): Promise<StoredSigningSecrets | undefined> {
    const value = await kvs.getSecret(keys.signingSecret());
    if (value === undefined) return undefined;
    const parsed = StoredSigningSecretsSchema.safeParse(value);
    if (!parsed.success) throw new Error(`Stored signing secret is corrupt: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  },
  /** Stores the first secret; false when one already exists (two installs racing keep one). */
  async createIfAbsent(secrets: StoredSigningSecrets): Promise<boolean> {
    try {
      await kvs.setSecret(keys.signingSecret(), secrets, { keyPolicy: 'FAIL_IF_EXISTS' });
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  },
  async write(secrets: StoredSigningSecrets): Promise<void> {
    await kvs.setSecret(keys.signingSecret(), secrets);
  },
};
