import { useCallback, useEffect, useRef, useState } from 'react';
import type { AdminApiKey, AdminError, AdminRequest, AdminResponse } from '../../../../src/contracts/admin-api';
import { callAdmin } from '../api/admin-client';

/** What a page section renders from, one state per case the UI must show. */
export type AdminQueryState<T> =
  | { status: 'loading' }
  | { status: 'loaded'; data: T }
  /** The resolver answered `{ok:false}`: FORBIDDEN, VALIDATION_FAILED, ... */
  | { status: 'refused'; error: AdminError }
  /** The call itself failed: the resolver crashed, timed out, or broke the contract. */
  | { status: 'failed'; message: string };

export interface AdminQuery<T> {
  state: AdminQueryState<T>;
  reload: () => void;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && error.message.trim()) return error.message;
  return 'The request did not complete.';
}

/** Loads `key` once on mount; `reload()` asks again (e.g. a "Try again" button). */
export function useAdminQuery<K extends AdminApiKey>(key: K, payload: AdminRequest<K>): AdminQuery<AdminResponse<K>> {
  const [state, setState] = useState<AdminQueryState<AdminResponse<K>>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // The payload is compared by value so callers can pass a literal without re-fetching each render.
  const payloadJson = JSON.stringify(payload);
  const payloadRef = useRef(payload);
  payloadRef.current = payload;

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    callAdmin(key, payloadRef.current).then(
      (result) => {
        if (!current) return;
        setState(result.ok ? { status: 'loaded', data: result.data } : { status: 'refused', error: result.error });
      },
      (error: unknown) => {
        if (current) setState({ status: 'failed', message: describeFailure(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [key, payloadJson, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
