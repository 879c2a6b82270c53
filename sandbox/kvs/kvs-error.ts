import { jsonResponse, type ServiceResponse } from '../http/types';

/**
 * Error codes the sandbox KVS answers with. Codes marked "Forge" are the ones Atlassian documents
 * (storage-reference/handling-errors-kvs, handling-errors-customentities, limits-kvs-ce) or that
 * `@forge/kvs` itself relies on (KEY_NOT_FOUND); the others are chosen by the sandbox where Forge
 * documents the behaviour but not the code (see sandbox/kvs/README.md).
 */
export type KvsErrorCode =
  // Forge, key rules
  | 'KEY_TOO_SHORT'
  | 'KEY_TOO_LONG'
  | 'INVALID_KEY'
  | 'EMPTY_KEY'
  | 'KEY_NOT_FOUND'
  // Forge, value rules
  | 'MAX_SIZE'
  | 'MAX_DEPTH'
  // Forge, query and filter rules
  | 'INVALID_FILTER_CONDITION'
  | 'INVALID_FILTER_VALUES'
  | 'LIST_QUERY_LIMIT_EXCEEDED'
  | 'QUERY_WHERE_INVALID'
  | 'QUERY_WHERE_FIELD_INVALID'
  | 'EMPTY_FILTER_OPERATOR'
  | 'INVALID_FILTER_OPERATORS_COMBINATION'
  | 'INSUFFICIENT_FILTER_VALUES'
  // Forge, custom entities
  | 'ENTITY_TYPE_TOO_SHORT'
  | 'ENTITY_TYPE_TOO_LARGE'
  | 'INVALID_ENTITY_TYPE'
  | 'INVALID_ENTITY_VALUE'
  // Forge, quotas (a transaction over the rate: TOO_MANY_REQUESTS, storage-reference/transactions)
  | 'RATE_LIMIT_EXCEEDED'
  | 'TOO_MANY_REQUESTS'
  // Forge, generic (the body shape the package's own tests use)
  | 'BAD_REQUEST'
  // Sandbox-chosen
  | 'KEY_CONFLICT'
  | 'CONDITION_CHECK_FAILED'
  | 'BATCH_EMPTY'
  | 'BATCH_SIZE_EXCEEDED'
  | 'TRANSACTION_EMPTY'
  | 'TRANSACTION_SIZE_EXCEEDED'
  | 'DUPLICATE_KEYS'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_CURSOR'
  | 'INVALID_VALUE'
  | 'NOT_SUPPORTED_BY_SANDBOX'
  | 'NOT_FOUND';

/** A failure the service reports to the caller as `{ code, message }` with an HTTP status. */
export class KvsError extends Error {
  override readonly name = 'KvsError';

  constructor(
    readonly status: number,
    readonly code: KvsErrorCode,
    message: string,
    readonly context?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function badRequest(code: KvsErrorCode, message: string, context?: Record<string, unknown>): KvsError {
  return new KvsError(400, code, message, context);
}

export function keyNotFound(key: string): KvsError {
  return new KvsError(404, 'KEY_NOT_FOUND', `Provided key does not exist: "${truncate(key)}"`);
}

/** Turns a KvsError into the response body Forge sends: `{ code, message }` (plus `context` when useful). */
export function toErrorResponse(error: KvsError, headers: Record<string, string> = {}): ServiceResponse {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.context !== undefined) body.context = error.context;
  return jsonResponse(error.status, body, headers);
}

export function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
