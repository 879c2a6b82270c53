import { useEffect, useRef, useState } from 'react';
import type { BulkJobKind, BulkJobView } from '../../../../src/contracts/admin-api';
import { callAdmin } from '../api/admin-client';

const POLL_MS = 2_000;

function isActive(job: BulkJobView | null): boolean {
  return job !== null && (job.status === 'queued' || job.status === 'running');
}

/**
 * Follows a bulk job (Replay all) while it runs: `jobs/get` every 2 s, and `onFinished` once when
 * it ends, so the section reloads its list. `track` hands it a job the page just started.
 */
export function useBulkJob(
  kind: BulkJobKind,
  initial: BulkJobView | null,
  onFinished: () => void,
): { job: BulkJobView | null; track: (job: BulkJobView) => void } {
  const [job, setJob] = useState<BulkJobView | null>(initial);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  useEffect(() => setJob(initial), [initial]);

  const active = isActive(job);
  const jobId = job?.id;
  useEffect(() => {
    if (!active) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      callAdmin('jobs/get', { kind }).then(
        (result) => {
          if (!current || !result.ok) return;
          setJob(result.data);
          if (!isActive(result.data)) finished.current();
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [active, jobId, job?.processed, job?.updatedAt, kind]);

  return { job, track: setJob };
}
