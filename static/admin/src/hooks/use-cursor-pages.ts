import { useCallback, useEffect, useState } from 'react';

/** One page of a list the server pages with cursors (20 items). */
export type CursorPage<T> = { items: T[]; cursor: string | null };

export interface CursorPages<T> {
  items: T[];
  pageNumber: number;
  hasNext: boolean;
  hasPrevious: boolean;
  loading: boolean;
  error: string | null;
  next: () => void;
  previous: () => void;
}

/**
 * Pages through a list after its first page (which came with the section's own load): `next` asks
 * the server for the page after the current cursor, `previous` goes back to a page already seen.
 * A new first page (the section reloaded) starts over.
 */
export function useCursorPages<T>(
  first: CursorPage<T> | undefined,
  load: (cursor: string) => Promise<CursorPage<T>>,
): CursorPages<T> {
  const [later, setLater] = useState<CursorPage<T>[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setLater([]);
    setError(null);
  }, [first]);
  const current = later.length > 0 ? later[later.length - 1] : first;
  const cursor = current?.cursor ?? null;

  const next = useCallback(() => {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    load(cursor).then(
      (page) => {
        setLater((pages) => [...pages, page]);
        setLoading(false);
      },
      (failure: unknown) => {
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      },
    );
  }, [cursor, load]);
  const previous = useCallback(() => setLater((pages) => pages.slice(0, -1)), []);

  return {
    items: current?.items ?? [],
    pageNumber: later.length + 1,
    hasNext: cursor !== null,
    hasPrevious: later.length > 0,
    loading,
    error,
    next,
    previous,
  };
}
