import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProjectDetails } from '../../../../src/contracts/site-metadata';
import { callAdmin } from '../api/admin-client';

export type ProjectDetailsState =
  | { status: 'loading' }
  | { status: 'loaded'; project: ProjectDetails }
  | { status: 'missing'; message: string }
  | { status: 'failed'; message: string };

export interface ProjectCatalog {
  get(projectKey: string): ProjectDetailsState | undefined;
}

/** Workflow statuses and scheme priorities of the projects on screen, loaded once per project key. */
export function useProjectCatalog(projectKeys: ReadonlyArray<string>): ProjectCatalog {
  const [states, setStates] = useState<Readonly<Record<string, ProjectDetailsState>>>({});
  const requested = useRef(new Set<string>());
  const wanted = [...new Set(projectKeys.filter((key) => key.trim() !== ''))].sort().join(',');

  useEffect(() => {
    for (const key of wanted ? wanted.split(',') : []) {
      if (requested.current.has(key)) continue;
      requested.current.add(key);
      setStates((current) => ({ ...current, [key]: { status: 'loading' } }));
      callAdmin('site/project', { projectKey: key }).then(
        (result) => {
          const next: ProjectDetailsState = result.ok
            ? { status: 'loaded', project: result.data }
            : result.error.code === 'NOT_FOUND'
              ? { status: 'missing', message: result.error.message }
              : { status: 'failed', message: result.error.message };
          setStates((current) => ({ ...current, [key]: next }));
        },
        (error: unknown) =>
          setStates((current) => ({
            ...current,
            [key]: { status: 'failed', message: error instanceof Error ? error.message : String(error) },
          })),
      );
    }
  }, [wanted]);

  const get = useCallback((projectKey: string) => states[projectKey], [states]);
  return { get };
}
