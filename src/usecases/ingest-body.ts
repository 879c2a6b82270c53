import { parseFindings, type Finding, type RejectedFinding } from '../domain/finding';
import { DEFAULT_JSON_SHAPE_LIMITS, type JsonShapeLimits } from '../domain/json-shape';
import { parseSarifFindings, type SarifConversion, type SarifStats } from '../domain/sarif';
import { lineText } from '../domain/text';
import type { ValidationIssue } from '../domain/validation';

/** The ingest request and answers, and reading its body (batch, single finding or SARIF) once it is trusted. */

export const DEFAULT_SOURCE = 'platform';
export const SARIF_DEFAULT_SOURCE = 'sarif';

/** JSON findings: a batch holds ≤ 5,000 findings and no field needs more than 20,000 characters. */
export const JSON_SHAPE_LIMITS: JsonShapeLimits = {
  maxDepth: 16,
  maxArrayLength: 5_000,
  maxKeysPerObject: 200,
  maxStringLength: 100_000,
};
/** SARIF logs are larger and deeper by nature (rules, code flows, ≤ 10,000 results). */
export const SARIF_SHAPE_LIMITS: JsonShapeLimits = { ...DEFAULT_JSON_SHAPE_LIMITS, maxStringLength: 1_000_000 };

export type IngestRequest = {
  method: string;
  /** Header names lower-cased; Forge gives every value as an array. */
  headers: Record<string, string[]>;
  query: Record<string, string[]>;
  body: string;
};

export type IngestErrorCode =
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_CONFIGURED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNSUPPORTED_CONTENT_ENCODING'
  | 'BODY_NOT_UTF8'
  | 'PAYLOAD_TOO_LARGE'
  | 'MALFORMED_JSON'
  | 'HOSTILE_INPUT'
  | 'INVALID_BODY'
  | 'INVALID_QUERY'
  | 'IN_PROGRESS';

export type IngestReceipt = {
  accepted: number;
  duplicates: number;
  rejected: RejectedFinding[];
  batchId?: string;
  sarif?: SarifStats;
  /** A complete post: one scan per scope, closing what it no longer reports (README "Complete scans"). */
  scans?: Array<{ scanId: string; scope: string; reported: number }>;
};

export type IngestResult =
  | { status: 202; receipt: IngestReceipt }
  | {
      status: 400 | 401 | 405 | 413 | 415 | 503;
      error: { code: IngestErrorCode; message: string; details?: unknown };
      /** A 503 the platform should retry after this many seconds (the Retry-After header). */
      retryAfterSeconds?: number;
    };

export type IngestFailure = Exclude<IngestResult, { status: 202 }>;

export function fail(
  status: IngestFailure['status'],
  code: IngestErrorCode,
  message: string,
  details?: unknown,
): IngestFailure {
  return { status, error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

export function mediaType(headers: IngestRequest['headers']): string | undefined {
  const value = headers['content-type']?.[0];
  return value?.split(';')[0]?.trim().toLowerCase();
}

function single(query: IngestRequest['query'], name: string): string | undefined {
  const values = query[name];
  return values && values.length > 0 ? values[0] : undefined;
}

const SourceSchema = lineText(100);

/** A JSON object with a string `version` and a `runs` array (and no `findings`): a SARIF log, whatever its label. */
export function looksLikeSarif(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record['version'] === 'string' && Array.isArray(record['runs']) && !('findings' in record);
}

export type Parsed = {
  source: string;
  accepted: Finding[];
  rejected: RejectedFinding[];
  duplicates: number;
  sarif?: SarifStats;
  /** A SARIF log's runs: tool, asset and category as the findings got them (complete-scan scopes). */
  sarifRuns?: SarifConversion['runs'];
};

export function parseBody(
  kind: 'json' | 'sarif',
  value: unknown,
  query: IngestRequest['query'],
): Parsed | IngestResult {
  const querySource = single(query, 'source');
  if (querySource !== undefined && !SourceSchema.safeParse(querySource).success) {
    return fail(
      400,
      'INVALID_QUERY',
      'The "source" query parameter must be 1-100 characters without control characters',
    );
  }
  if (kind === 'sarif') {
    const assetId = single(query, 'asset');
    const assetName = single(query, 'assetName');
    const result = parseSarifFindings(
      value,
      assetId !== undefined ? { asset: { id: assetId, ...(assetName ? { name: assetName } : {}) } } : {},
    );
    if (!result.ok)
      return fail(400, 'INVALID_BODY', 'The body is not a SARIF 2.1.0 log this app can read', result.errors);
    return {
      source: querySource ?? SARIF_DEFAULT_SOURCE,
      accepted: result.findings,
      rejected: result.rejected,
      // Exact repeats of a result in the log: one finding, the others counted here.
      duplicates: result.stats.duplicates,
      sarif: result.stats,
      sarifRuns: result.runs,
    };
  }
  const result = parseFindings(value);
  if (!result.ok)
    return fail(
      400,
      'INVALID_BODY',
      'The body must be a batch {source, findings: [...]} or a single finding',
      result.errors,
    );
  const isSingle = result.source === undefined;
  if (isSingle && result.accepted.length === 0) {
    return fail(
      400,
      'INVALID_BODY',
      'The finding is not valid',
      result.rejected[0]?.errors satisfies ValidationIssue[] | undefined,
    );
  }
  return {
    source: result.source ?? querySource ?? DEFAULT_SOURCE,
    accepted: result.accepted,
    rejected: result.rejected,
    duplicates: result.duplicates.length,
  };
}
