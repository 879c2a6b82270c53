import type { AdminResult, ConflictDetail, ValidationDetail } from '../../contracts/admin-api';
import type { SyncConfig } from '../../domain/config';
import type { SiteReader, VersionedConfigStore } from './admin-ports';
import { checkConfigAgainstSite } from './site-check';

export type SaveConfigInput = { revision: number; config: SyncConfig };
export type SaveConfigDeps = { configs: VersionedConfigStore; site: SiteReader; now: () => Date; accountId: string };
export type SaveConfigOutput = {
  revision: number;
  savedAt: string;
  warnings: Array<{ path: string; message: string; severity: 'error' | 'warning' }>;
};

function conflict(current: ConflictDetail, editedRevision: number): AdminResult<never> {
  const when = current.savedAt ? ` at ${current.savedAt}` : '';
  return {
    ok: false,
    error: {
      code: 'CONFLICT',
      message:
        `Another administrator saved these settings${when} after you opened them ` +
        `(now revision ${current.currentRevision}, you edited revision ${editedRevision}). ` +
        'Nothing was saved: reload to see their changes, then make yours again.',
      details: current,
    },
  };
}

/**
 * Saves the sync configuration from the admin page: refused with CONFLICT when someone saved since
 * `revision` was read, with VALIDATION_FAILED (field paths under `config.`) when it names something
 * the Jira site does not have (unknown priority, project, issue type, status, resolution, an
 * incompatible field). Warnings are returned with the successful save.
 */
export async function saveConfig(input: SaveConfigInput, deps: SaveConfigDeps): Promise<AdminResult<SaveConfigOutput>> {
  const stored = await deps.configs.load();
  if (stored.revision !== input.revision)
    return conflict(
      { currentRevision: stored.revision, savedAt: stored.savedAt, savedBy: stored.savedBy },
      input.revision,
    );

  const { problems } = await checkConfigAgainstSite(input.config, deps.site);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const details: ValidationDetail[] = errors.map((p) => ({ path: `config.${p.path}`, message: p.message }));
    return {
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message:
          `${errors.length === 1 ? 'One setting does' : `${errors.length} settings do`} not match your Jira site. ` +
          'Nothing was saved.',
        details,
      },
    };
  }

  const saved = await deps.configs.saveIfRevision(input.revision, input.config, {
    now: deps.now(),
    accountId: deps.accountId,
  });
  if (!saved.ok)
    return conflict(
      { currentRevision: saved.current.revision, savedAt: saved.current.savedAt, savedBy: saved.current.savedBy },
      input.revision,
    );
  return {
    ok: true,
    data: {
      revision: saved.revision,
      savedAt: saved.savedAt,
      warnings: problems.filter((p) => p.severity === 'warning'),
    },
  };
}
