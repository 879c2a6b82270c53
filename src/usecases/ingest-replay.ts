import { TransientError } from './errors';
import { fail, type IngestResult } from './ingest-body';
import type { Logger, ReplayGuard } from './ports';

/**
 * Replays and retries of one signed request (README "Ingest contract"). The signature id is claimed before anything
 * is stored and marked accepted only once the answer is 202; a request that is not accepted (a 4xx, a 503 because
 * storing failed, an error) releases its claim, so the platform's retry of the same signed request is handled as new.
 * A request with the signature of an accepted one is a replay: 401, nothing stored.
 *
 * A crash between storing and marking leaves the claim: a retry waits for it to lapse (503 with Retry-After) and then
 * stores the same findings again under their same finding keys — no finding lost, no second issue.
 */

/** A web trigger runs at most 55 s ("Invocation limits"): a claim older than this is a crashed invocation's. */
export const INGEST_CLAIM_SECONDS = 60;

export type ReplayDeps = { replayGuard: ReplayGuard; logger: Logger };
export type Signed = { signatureId: string; replayExpiresAtSeconds: number };

function replayed(batchId: string | undefined): IngestResult {
  return fail(
    401,
    'UNAUTHORIZED',
    batchId
      ? `This signature was already used: the request it signed was accepted as batch ${batchId}`
      : 'This signature was already used',
  );
}

async function release(deps: ReplayDeps, signed: Signed, status: number | 'error'): Promise<void> {
  try {
    await deps.replayGuard.release(signed.signatureId);
  } catch (error) {
    // The claim lapses by itself after INGEST_CLAIM_SECONDS: a retry waits that long instead.
    deps.logger.warn('replay claim not released: a retry waits for it to lapse', {
      status,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Runs `store` (which answers 202 only when the findings are stored) holding the signature's claim. */
export async function withReplayClaim(
  deps: ReplayDeps,
  signed: Signed,
  now: Date,
  store: () => Promise<IngestResult>,
): Promise<IngestResult> {
  const claim = await deps.replayGuard.claim(
    signed.signatureId,
    new Date(now.getTime() + INGEST_CLAIM_SECONDS * 1000),
    now,
  );
  if (claim.outcome === 'replayed') return replayed(claim.batchId);
  if (claim.outcome === 'in-flight') {
    return {
      ...fail(
        503,
        'IN_PROGRESS',
        `A request with this signature is being handled right now; retry in ${claim.retryAfterSeconds} s ` +
          '(if it was accepted, the retry is refused as a replay)',
      ),
      retryAfterSeconds: claim.retryAfterSeconds,
    };
  }
  let result: IngestResult;
  try {
    result = await store();
  } catch (error) {
    await release(deps, signed, 'error');
    throw error;
  }
  if (result.status !== 202) {
    await release(deps, signed, result.status);
    return result;
  }
  try {
    await deps.replayGuard.accept(
      signed.signatureId,
      { batchId: result.receipt.batchId, until: new Date(signed.replayExpiresAtSeconds * 1000 + 1000) },
      now,
    );
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
    // The findings are stored: the answer is 202. Until the claim lapses a replay is refused (in flight); after,
    // it would store the same findings again under their finding keys, which creates nothing new.
    deps.logger.warn('findings stored, replay record not written', {
      batchId: result.receipt.batchId,
      reason: error.message,
    });
  }
  return result;
}
