import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { defaultSyncConfig, parseSyncConfig, type SyncConfig, type SyncConfigInput } from '../domain/config';
import type { ValidationIssue } from '../domain/validation';
import { keys } from './keys';

/**
 * The sync configuration: one versioned document in KVS. `revision` counts saves (0 = never saved,
 * defaults apply); the document itself carries the schema `version`.
 */
const StoredConfigSchema = z.object({ revision: z.number().int().min(1), document: z.unknown(), savedAt: z.string() });

export type LoadedSyncConfig = { config: SyncConfig; revision: number; savedAt: string | null };

export const configRepository = {
  async load(): Promise<LoadedSyncConfig> {
    const raw = await kvs.get(keys.syncConfig());
    if (raw === undefined) return { config: defaultSyncConfig(), revision: 0, savedAt: null };
    const stored = StoredConfigSchema.safeParse(raw);
    if (!stored.success) throw new Error(`Stored sync configuration is corrupt: ${stored.error.issues[0]?.message}`);
    const parsed = parseSyncConfig(stored.data.document);
    if (!parsed.ok) throw new Error(`Stored sync configuration is invalid: ${parsed.errors[0]?.path} ${parsed.errors[0]?.message}`);
    return { config: parsed.config, revision: stored.data.revision, savedAt: stored.data.savedAt };
  },
  /** Validates and saves a configuration document (the admin page, tests, the sandbox). */
  async save(document: SyncConfigInput | unknown, now: Date = new Date()): Promise<{ ok: true; revision: number } | { ok: false; errors: ValidationIssue[] }> {
    const parsed = parseSyncConfig(document);
    if (!parsed.ok) return parsed;
    const previous = StoredConfigSchema.safeParse(await kvs.get(keys.syncConfig()));
    const revision = (previous.success ? previous.data.revision : 0) + 1;
    await kvs.set(keys.syncConfig(), { revision, document, savedAt: now.toISOString() });
    return { ok: true, revision };
  },
};
