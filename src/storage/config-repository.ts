import { randomUUID } from 'node:crypto';
import { kvs } from './kvs-client';
import { z } from 'zod';
import { defaultSyncConfig, parseSyncConfig, type SyncConfig } from '../domain/config';
import type { ValidationIssue } from '../domain/validation';
import { keys } from './keys';
import { leaseRepository } from './lease-repository';

/**
 * The sync configuration: one versioned document in KVS. `revision` counts saves (0 = never saved,
 * defaults apply); the document itself carries the schema `version`. Every save is a
 * compare-and-set on the revision, so two admins (or an admin and a script) never overwrite each
 * other silently.
 */
const StoredConfigSchema = z.object({
  revision: z.number().int().min(1),
  document: z.unknown(),
  savedAt: z.string(),
  savedBy: z.string().optional(),
});
type StoredConfig = z.infer<typeof StoredConfigSchema>;

export type LoadedSyncConfig = { config: SyncConfig; revision: number; savedAt: string | null; savedBy: string | null };
export type ConfigOwner = { revision: number; savedAt: string | null; savedBy: string | null };
export type ConditionalSaveResult =
  { ok: true; revision: number; savedAt: string } | { ok: false; current: ConfigOwner };

/**
 * A claim on the next revision: a lease (`lease-repository.ts`, expiry in the value) that lasts this long. A save
 * takes milliseconds; a claim left by a save that crashed is taken over once it has expired, however long KVS keeps
 * the expired key.
 */
const CLAIM_SECONDS = 60;
const claimLane = (revision: number) => `config-revision-${revision}`;

function parseStored(raw: unknown): StoredConfig | undefined {
  if (raw === undefined) return undefined;
  const stored = StoredConfigSchema.safeParse(raw);
  if (!stored.success) throw new Error(`Stored sync configuration is corrupt: ${stored.error.issues[0]?.message}`);
  return stored.data;
}

async function readStored(): Promise<StoredConfig | undefined> {
  return parseStored(await kvs.get(keys.syncConfig()));
}

/** The configuration from its stored record (`keys.syncConfig()`), as `load` reads it (for a batched read). */
export function loadedConfigFrom(raw: unknown): LoadedSyncConfig {
  const stored = parseStored(raw);
  if (!stored) return { config: defaultSyncConfig(), revision: 0, savedAt: null, savedBy: null };
  const parsed = parseSyncConfig(stored.document);
  if (!parsed.ok)
    throw new Error(`Stored sync configuration is invalid: ${parsed.errors[0]?.path} ${parsed.errors[0]?.message}`);
  return { config: parsed.config, revision: stored.revision, savedAt: stored.savedAt, savedBy: stored.savedBy ?? null };
}

function ownerOf(stored: StoredConfig | undefined): ConfigOwner {
  return { revision: stored?.revision ?? 0, savedAt: stored?.savedAt ?? null, savedBy: stored?.savedBy ?? null };
}

export const configRepository = {
  async load(): Promise<LoadedSyncConfig> {
    return loadedConfigFrom(await kvs.get(keys.syncConfig()));
  },

  /**
   * Saves only when the stored revision is still `expected`: (1) check it; (2) claim `expected + 1`
   * (a lease: of two racing saves only one gets it); (3) re-check (a claim from long ago may have
   * expired and been taken over); (4) write. The claim is left to expire: once revision `expected + 1`
   * is stored, nobody claims it again.
   */
  async saveIfRevision(
    expected: number,
    config: SyncConfig,
    meta: { now: Date; accountId: string },
  ): Promise<ConditionalSaveResult> {
    const before = await readStored();
    if ((before?.revision ?? 0) !== expected) return { ok: false, current: ownerOf(before) };
    const revision = expected + 1;
    const claim = await leaseRepository.acquire(claimLane(revision), randomUUID(), CLAIM_SECONDS, meta.now);
    if (!claim.acquired) return { ok: false, current: ownerOf(await readStored()) };
    const again = await readStored();
    if ((again?.revision ?? 0) !== expected) return { ok: false, current: ownerOf(again) };
    const savedAt = meta.now.toISOString();
    await kvs.set(keys.syncConfig(), { revision, document: config, savedAt, savedBy: meta.accountId });
    return { ok: true, revision, savedAt };
  },

  /**
   * Validates and saves a document (a SyncConfigInput is expected; anything is parsed) over whatever
   * revision is stored now (tests, the sandbox's demo seed, scripts) — still through the revision
   * claim, so it never interleaves with an admin's save.
   */
  async save(
    document: unknown,
    now: Date = new Date(),
    savedBy = 'app',
  ): Promise<{ ok: true; revision: number } | { ok: false; errors: ValidationIssue[] }> {
    const parsed = parseSyncConfig(document);
    if (!parsed.ok) return parsed;
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await readStored();
      const saved = await configRepository.saveIfRevision(current?.revision ?? 0, parsed.config, {
        now,
        accountId: savedBy,
      });
      if (saved.ok) return { ok: true, revision: saved.revision };
    }
    return { ok: false, errors: [{ path: '', message: 'The configuration kept changing while saving; try again' }] };
  },
};
