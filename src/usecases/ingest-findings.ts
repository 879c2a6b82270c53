import { randomUUID } from 'node:crypto';
import { groupIdOf } from '../domain/grouping';
import { routeFinding } from '../domain/routing';
import {
  computeContentHash,
  computeFindingKey,
  judgeRepost,
  needsScopeIndex,
  UNROUTED_LANE,
} from '../domain/finding-state';
import { isOpenInScope } from '../domain/scan-scope';
import { findHostileJsonShape } from '../domain/json-shape';
import { chunkWorkItems } from '../domain/work-chunks';
import { verifySignature, type SignatureFailureReason } from '../domain/signature';
import { countReplacementCharacters, findCompressedBody, type CompressedBody } from '../domain/body-encoding';
import type {
  ConfigStore,
  FindingStateStore,
  InboxStore,
  Logger,
  ReplayGuard,
  SecretStore,
  StatsStore,
  SyncQueue,
} from './ports';
import { scopePost } from './complete-scan-ingest';
import type { ScanQueue, ScanStore } from './scan-ports';
import { TransientError } from './errors';
import {
  fail,
  JSON_SHAPE_LIMITS,
  looksLikeSarif,
  mediaType,
  parseBody,
  SARIF_SHAPE_LIMITS,
  type IngestRequest,
  type IngestResult,
} from './ingest-body';
import { activeSecrets } from './signing-secrets';
import { withReplayClaim } from './ingest-replay';

export {
  DEFAULT_SOURCE,
  looksLikeSarif,
  SARIF_DEFAULT_SOURCE,
  type IngestErrorCode,
  type IngestReceipt,
  type IngestRequest,
  type IngestResult,
} from './ingest-body';

/**
 * The ingest contract (README "Ingest contract"): verify the signature on the raw
 * body, check the content type and size, refuse hostile JSON shapes, parse (batch, single finding
 * or SARIF), drop what was already processed, store the rest in chunks and queue one event per
 * chunk — and only then answer 202 with the receipt.
 */

/**
 * The largest body the app accepts. Forge refuses (413, before the app runs) any request whose whole
 * event — the body JSON-escaped, plus headers and query — exceeds 5 MB, so a body near 5 MB never
 * reaches the app; 4 MB leaves room for escaping (findings JSON grows ~10–20 %) and headers, and
 * the app's own 413 names the limit a platform should split at.
 */
export const MAX_INGEST_BYTES = 4 * 1024 * 1024;
export { UNROUTED_LANE };
export type IngestDeps = {
  secrets: SecretStore;
  replayGuard: ReplayGuard;
  config: ConfigStore;
  states: FindingStateStore;
  inbox: InboxStore;
  queue: SyncQueue;
  stats: StatsStore;
  scans: Pick<ScanStore, 'saveMany'>;
  scanQueue: ScanQueue;
  logger: Logger;
  now: () => Date;
};

const SIGNATURE_MESSAGES: Record<SignatureFailureReason, string> = {
  missing: 'The X-Signature header is missing',
  malformed: 'The X-Signature header must be "t=<unix seconds>,v1=<hex HMAC-SHA256>"',
  expired: 'The signature timestamp is more than 300 seconds from now',
  mismatch: 'The signature does not match the body',
};

function compressedMessage(compressed: CompressedBody): string {
  const what =
    compressed.reason === 'content-encoding'
      ? `The body is compressed (Content-Encoding: ${compressed.encoding})`
      : 'The body is gzip-compressed (it starts with the gzip bytes 1f 8b)';
  return `${what}; the app reads only uncompressed UTF-8 JSON (Forge hands it the body as text). Send it uncompressed`;
}

function notUtf8Message(replaced: number): string {
  return (
    `The body is not valid UTF-8: the signature does not match the body as received, which holds ${replaced} ` +
    'U+FFFD replacement character(s) — bytes that are not UTF-8 arrive as U+FFFD, so their signature can never ' +
    'match. Send the JSON encoded as UTF-8'
  );
}

/**
 * One event per stored chunk. The findings are stored, so they are accepted: a push the queue refuses (500 events per
 * minute, a partial success) leaves the chunks to the inbox sweep (their due records), and the answer is still 202.
 */
async function queueStoredChunks(
  deps: IngestDeps,
  batchId: string,
  chunks: ReadonlyArray<{ lane: string }>,
  chunkKeys: ReadonlyArray<string>,
  now: Date,
): Promise<void> {
  try {
    await deps.queue.publish(
      chunks.map((chunk, index) => ({ chunkKey: chunkKeys[index]!, lane: chunk.lane, dueAt: now.toISOString() })),
    );
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
    deps.logger.warn('findings stored, queue refused: the inbox sweep queues them', {
      batchId,
      chunks: chunks.length,
      reason: error.message,
    });
  }
}

export async function ingestFindings(request: IngestRequest, deps: IngestDeps): Promise<IngestResult> {
  if (request.method.toUpperCase() !== 'POST') return fail(405, 'METHOD_NOT_ALLOWED', 'Use POST to send findings');
  const now = deps.now();

  // 0. A compressed body cannot be read, nor its signature checked (README "Bodies the app cannot read").
  const compressed = findCompressedBody(request.headers['content-encoding'], request.body);
  if (compressed) return fail(415, 'UNSUPPORTED_CONTENT_ENCODING', compressedMessage(compressed));

  // 1. Signature, on the raw body, before anything is parsed.
  const stored = await deps.secrets.read();
  if (!stored)
    return fail(
      503,
      'NOT_CONFIGURED',
      'The app has no signing secret yet: open Finding Sync in Jira settings to create one',
    );
  const verdict = verifySignature({
    header: request.headers['x-signature'],
    rawBody: request.body,
    secrets: activeSecrets(stored, now),
    nowSeconds: Math.floor(now.getTime() / 1000),
  });
  if (!verdict.ok) {
    // Text that lost bytes in decoding cannot match a signature over the bytes sent: say why, not just "no match".
    const replaced = verdict.reason === 'mismatch' ? countReplacementCharacters(request.body) : 0;
    if (replaced > 0) return fail(400, 'BODY_NOT_UTF8', notUtf8Message(replaced));
    return fail(401, 'UNAUTHORIZED', SIGNATURE_MESSAGES[verdict.reason]);
  }
  return withReplayClaim(deps, verdict, now, () => readAndStore(request, deps, now));
}

/** Steps 2–5, holding the signature's replay claim: 202 only once the findings are stored. */
async function readAndStore(request: IngestRequest, deps: IngestDeps, now: Date): Promise<IngestResult> {
  // 2. Content type and size.
  const type = mediaType(request.headers);
  const kind = type === 'application/json' ? 'json' : type === 'application/sarif+json' ? 'sarif' : undefined;
  if (!kind) {
    return fail(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be application/json (findings) or application/sarif+json (SARIF 2.1.0), got ${type ?? 'none'}`,
    );
  }
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > MAX_INGEST_BYTES)
    return fail(
      413,
      'PAYLOAD_TOO_LARGE',
      `The body is ${bytes} bytes; the limit is ${MAX_INGEST_BYTES} bytes (split the batch)`,
    );

  // 3. JSON, hostile shapes, then the schemas.
  let value: unknown;
  try {
    value = JSON.parse(request.body);
  } catch (error) {
    return fail(
      400,
      'MALFORMED_JSON',
      `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // A SARIF log posted as application/json is still a SARIF log: recognised by `version` + `runs`.
  const bodyKind = kind === 'json' && looksLikeSarif(value) ? 'sarif' : kind;
  const hostile = findHostileJsonShape(value, bodyKind === 'sarif' ? SARIF_SHAPE_LIMITS : JSON_SHAPE_LIMITS);
  if (hostile) return fail(400, 'HOSTILE_INPUT', 'The body was refused before parsing: nothing was stored', [hostile]);
  const parsed = parseBody(bodyKind, value, request.query);
  if ('status' in parsed) return parsed;
  const batchId = randomUUID();
  const scoped = scopePost(bodyKind, value, request.query, { ...parsed, batchId, receivedAt: now });
  if ('error' in scoped) return fail(400, scoped.error.code, scoped.error.message, scoped.error.details);
  parsed.rejected = scoped.rejected;

  // 4. Drop what was already processed (same content, or an older version).
  const { config, revision } = await deps.config.load();
  const candidates = scoped.accepted.map(({ finding, scope }) => {
    const route = routeFinding(finding, config);
    return {
      finding,
      scope,
      findingKey: computeFindingKey(parsed.source, finding.id),
      contentHash: computeContentHash(finding),
      lane: route.routed ? route.mapping.id : UNROUTED_LANE,
      groupId: route.routed ? groupIdOf(finding, route.mapping) : undefined,
    };
  });
  const states = await deps.states.getMany(candidates.map((c) => c.findingKey));
  const verdicts = candidates.map((c) => judgeRepost(c.finding, c.contentHash, states.get(c.findingKey), revision));
  const fresh = candidates.filter((_c, i) => verdicts[i] === 'new');
  const duplicates = parsed.duplicates + (candidates.length - fresh.length);
  // Duplicates not yet in their scope's index (synced before complete scans): queued once, to enter it.
  const unindexed = candidates.filter(
    (c, i) =>
      verdicts[i] === 'duplicate' && needsScopeIndex(states.get(c.findingKey), c.scope, isOpenInScope(c.finding)),
  );

  // 5. Store, queue, then answer (a complete post's scans after its findings).
  const queued = [...fresh, ...unindexed];
  if (queued.length > 0) {
    const chunks = chunkWorkItems(queued.map(({ contentHash: _hash, ...c }) => ({ ...c, source: parsed.source })));
    const chunkKeys = await deps.inbox.saveChunks(batchId, chunks, now);
    await queueStoredChunks(deps, batchId, chunks, chunkKeys, now);
  }
  if (scoped.scans.length > 0) {
    await deps.scans.saveMany(scoped.scans);
    await deps.scanQueue.publish(scoped.scans.map((scan) => scan.scanId));
  }
  await deps.stats.record(
    `ingest:${batchId}`,
    { accepted: fresh.length, duplicates, rejected: parsed.rejected.length },
    now,
  );
  deps.logger.info('findings received', {
    batchId,
    source: parsed.source,
    accepted: fresh.length,
    duplicates,
    rejected: parsed.rejected.length,
    ...(unindexed.length > 0 ? { toScopeIndex: unindexed.length } : {}),
    ...(scoped.scans.length > 0 ? { completeScans: scoped.scans.map((scan) => scan.scanId) } : {}),
    // Which ones, by id (or position when the finding had no usable id); capped to keep the line short.
    ...(parsed.rejected.length > 0
      ? { rejectedIds: parsed.rejected.slice(0, 20).map((r) => r.id ?? `#${r.index}`) }
      : {}),
  });
  return {
    status: 202,
    receipt: {
      accepted: fresh.length,
      duplicates,
      rejected: parsed.rejected,
      batchId,
      ...(parsed.sarif ? { sarif: parsed.sarif } : {}),
      ...(scoped.scans.length > 0
        ? { scans: scoped.scans.map((s) => ({ scanId: s.scanId, scope: s.label, reported: s.reported })) }
        : {}),
      ...(scoped.completeNotApplied ? { completeNotApplied: scoped.completeNotApplied } : {}),
    },
  };
}
