import type { z } from 'zod';
import type { ServiceResponse } from '../http/types';
import { badRequest, KvsError, toErrorResponse } from './kvs-error';
import { KVS_LIMITS } from './kvs-rules';
import {
  BatchDeleteRequestSchema,
  BatchGetRequestSchema,
  BatchSetRequestSchema,
  DeleteRequestSchema,
  EntityDeleteRequestSchema,
  EntityGetRequestSchema,
  EntitySetRequestSchema,
  formatIssues,
  GetRequestSchema,
  KvsStateSchema,
  QueryRequestSchema,
  SetRequestSchema,
  TransactionRequestSchema,
  type KvsState,
} from './kvs-schemas';
import { KvsStore, type KvsChangeListener } from './kvs-store';
import { deleteItem, getItem, setItem, type OperationResult } from './item-operations';
import { queryKeys } from './query-operation';
import { batchDelete, batchGet, batchSet } from './batch-operations';
import { executeTransaction } from './transaction-operation';
import { countQuotaUnits, FORGE_KVS_QUOTAS, QuotaMeter, type KvsQuotas, type QuotaKind } from './quota-meter';

export type { KvsState, StoredItem } from './kvs-schemas';
export type { KvsChangeListener, KvsKeyspace } from './kvs-store';
export type { KvsQuotas } from './quota-meter';
export type { KvsErrorCode } from './kvs-error';
export { FORGE_KVS_QUOTAS, FORGE_BATCH_OPERATIONS_PER_MINUTE } from './quota-meter';
export { KVS_LIMITS, KVS_KEY_PATTERN } from './kvs-rules';

export interface KvsServiceOptions {
  /** Millisecond clock for TTL expiry and createdAt/updatedAt. Default `Date.now`. */
  now?: () => number;
  /** A snapshot to start from (persistence across `npm start` restarts). Validated; throws when malformed. */
  state?: KvsState;
  /**
   * Forge: 4,000 reads and 4,000 writes per installation per minute, in 10 KB units, and 45 batch requests.
   * Enforcement off by default.
   */
  quotas?: Partial<KvsQuotas>;
  /** Which document's query page maximum applies: 20 ('query-page', default, the stricter) or 100 ('errors-page'). */
  queryLimitReading?: 'query-page' | 'errors-page';
  /** Told of every value stored or removed, as it happens (the sandbox's write-ahead journal). */
  onChange?: KvsChangeListener;
  /** Lazy TTL fault mode from the start (see `setTtlLinger`). */
  ttlLingerSeconds?: number;
}

export interface KvsCounters {
  /** Read requests served (get, secret/get, entity/get, query, batch/get). */
  reads: number;
  /** Write requests served (set, delete, secret/*, entity/set|delete, batch/set|delete, transaction). */
  writes: number;
  /** Quota units consumed by reads: ceil(response bytes / 10 KB), at least 1. */
  readUnits: number;
  /** Quota units consumed by writes: ceil(request bytes / 10 KB), at least 1. */
  writeUnits: number;
  /** batch/get|set|delete requests served (Forge's batch page allows 45 a minute). */
  batchOps: number;
  /** Requests per path, including rejected ones. */
  byPath: Record<string, number>;
  reset(): void;
}

export interface KvsService {
  /** Serves one `POST <path>` from @forge/kvs; `body` is the raw JSON text. Never throws for bad input. */
  handle(path: string, body: string | undefined): ServiceResponse;
  /** JSON-serialisable copy of everything stored (secrets included: it is a local dev store). */
  snapshot(): KvsState;
  counters: KvsCounters;
  setQuotaEnforcement(enforce: boolean): void;
  /**
   * Lazy TTL fault mode: expired values linger up to `seconds` more (0, the default: gone at their expiry).
   * Forge documents TTL, not how promptly expired values disappear (sandbox/README.md, limits table).
   */
  setTtlLinger(seconds: number): void;
  /** Units used in the current sliding minute, for diagnostics and tests. */
  quotaUsage(): { readUnits: number; writeUnits: number; batchOperations: number };
}

interface Route {
  kind: 'read' | 'write';
  /** A batch request: also counts against the batch-operation rate. */
  batch?: true;
  /**
   * The code of a 429: `RATE_LIMIT_EXCEEDED` unless the route's page names another. "Executing KVS transactions"
   * (storage-reference/transactions, Mar 3, 2025): a transaction over the rate limits fails "returning a
   * TOO_MANY_REQUESTS error".
   */
  rateLimitCode?: 'TOO_MANY_REQUESTS';
  run(store: KvsStore, body: unknown, bodyBytes: number, settings: RouteSettings): OperationResult;
}

interface RouteSettings {
  maxQueryLimit: number;
}

function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw badRequest('BAD_REQUEST', `Provided request body is invalid: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

function notSupported(path: string): never {
  throw badRequest(
    'NOT_SUPPORTED_BY_SANDBOX',
    `${path} is not supported by the sandbox KVS (custom entity queries need the manifest's entity indexes).`,
  );
}

const ROUTES: Record<string, Route> = {
  '/api/v1/get': {
    kind: 'read',
    run: (store, body) => {
      const request = parseWith(GetRequestSchema, body);
      return getItem(store, { kind: 'keys' }, request.key, request.options?.metadataFields);
    },
  },
  '/api/v1/set': {
    kind: 'write',
    run: (store, body) => {
      const request = parseWith(SetRequestSchema, body);
      return setItem(store, { kind: 'keys' }, request.key, request.value, request.options);
    },
  },
  '/api/v1/delete': {
    kind: 'write',
    run: (store, body) => deleteItem(store, { kind: 'keys' }, parseWith(DeleteRequestSchema, body).key),
  },
  '/api/v1/query': {
    kind: 'read',
    run: (store, body, _bytes, settings) =>
      queryKeys(store, parseWith(QueryRequestSchema, body), settings.maxQueryLimit),
  },
  '/api/v1/secret/get': {
    kind: 'read',
    run: (store, body) => {
      const request = parseWith(GetRequestSchema, body);
      return getItem(store, { kind: 'secrets' }, request.key, request.options?.metadataFields);
    },
  },
  '/api/v1/secret/set': {
    kind: 'write',
    run: (store, body) => {
      const request = parseWith(SetRequestSchema, body);
      return setItem(store, { kind: 'secrets' }, request.key, request.value, request.options);
    },
  },
  '/api/v1/secret/delete': {
    kind: 'write',
    run: (store, body) => deleteItem(store, { kind: 'secrets' }, parseWith(DeleteRequestSchema, body).key),
  },
  '/api/v1/batch/set': {
    kind: 'write',
    batch: true,
    run: (store, body, bytes) => batchSet(store, parseWith(BatchSetRequestSchema, body), bytes),
  },
  '/api/v1/batch/get': {
    kind: 'read',
    batch: true,
    run: (store, body, bytes) => batchGet(store, parseWith(BatchGetRequestSchema, body), bytes),
  },
  '/api/v1/batch/delete': {
    kind: 'write',
    batch: true,
    run: (store, body, bytes) => batchDelete(store, parseWith(BatchDeleteRequestSchema, body), bytes),
  },
  // "Transactions are treated as a single Write operation" (transactions page): one write request sized by its
  // payload, not a batch operation.
  '/api/v1/transaction': {
    kind: 'write',
    rateLimitCode: 'TOO_MANY_REQUESTS',
    run: (store, body, bytes) => executeTransaction(store, parseWith(TransactionRequestSchema, body), bytes),
  },
  '/api/v1/entity/get': {
    kind: 'read',
    run: (store, body) => {
      const request = parseWith(EntityGetRequestSchema, body);
      return getItem(
        store,
        { kind: 'entity', entityName: request.entityName },
        request.key,
        request.options?.metadataFields,
      );
    },
  },
  '/api/v1/entity/set': {
    kind: 'write',
    run: (store, body) => {
      const request = parseWith(EntitySetRequestSchema, body);
      return setItem(
        store,
        { kind: 'entity', entityName: request.entityName },
        request.key,
        request.value,
        request.options,
      );
    },
  },
  '/api/v1/entity/delete': {
    kind: 'write',
    run: (store, body) => {
      const request = parseWith(EntityDeleteRequestSchema, body);
      return deleteItem(store, { kind: 'entity', entityName: request.entityName }, request.key);
    },
  },
  '/api/v1/entity/query': {
    kind: 'read',
    run: () => notSupported('/api/v1/entity/query'),
  },
};

function toServiceResponse(result: OperationResult): ServiceResponse {
  if (result.body === undefined) return { status: result.status, headers: {} };
  return { status: result.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result.body) };
}

function parseJsonBody(body: string | undefined): unknown {
  if (body === undefined || body.length === 0)
    throw badRequest('BAD_REQUEST', 'Provided request body is empty; expected JSON.');
  try {
    return JSON.parse(body);
  } catch (error) {
    throw badRequest('BAD_REQUEST', `Provided request body is not valid JSON: ${(error as Error).message}`);
  }
}

function createCounters(): KvsCounters {
  const counters: KvsCounters = {
    reads: 0,
    writes: 0,
    readUnits: 0,
    writeUnits: 0,
    batchOps: 0,
    byPath: {},
    reset() {
      counters.reads = 0;
      counters.writes = 0;
      counters.readUnits = 0;
      counters.writeUnits = 0;
      counters.batchOps = 0;
      counters.byPath = {};
    },
  };
  return counters;
}

/**
 * The in-process Forge Key-Value Store: the server side of every `POST /api/v1/...` that @forge/kvs
 * sends through `__forge_fetch__({ type: 'kvs' }, path, init)`. Synchronous, so each request is
 * atomic (FAIL_IF_EXISTS and transactions cannot interleave).
 */
export function createKvsService(options: KvsServiceOptions = {}): KvsService {
  // Read the clock at each call, so a test that moves the clock moves TTLs too.
  const now = options.now ?? (() => Date.now());
  const store = new KvsStore(now, (keyspace, key, item) => options.onChange?.(keyspace, key, item));
  if (options.state !== undefined) {
    const parsed = KvsStateSchema.safeParse(options.state);
    if (!parsed.success) throw new Error(`Invalid KVS state snapshot: ${formatIssues(parsed.error)}`);
    store.restore(parsed.data);
  }
  if (options.ttlLingerSeconds !== undefined) store.ttl.lingerMs = Math.round(options.ttlLingerSeconds * 1000);
  const meter = new QuotaMeter(now, { ...FORGE_KVS_QUOTAS, ...(options.quotas ?? {}) });
  const settings: RouteSettings = {
    maxQueryLimit:
      options.queryLimitReading === 'errors-page' ? KVS_LIMITS.maxQueryLimitErrorsPage : KVS_LIMITS.maxQueryLimit,
  };
  const counters = createCounters();

  function rejectForQuota(kind: QuotaKind, units: number, route: Route): ServiceResponse {
    const limit = meter.limit(kind);
    const message =
      kind === 'batch'
        ? `KVS batch operation rate exceeded: ${meter.usage(kind)} of ${limit} batch operations in the last minute.`
        : `KVS ${kind} quota exceeded: ${meter.usage(kind)} of ${limit} units used in the last minute, ` +
          `this request needs ${units} (1 unit = 10 KB).`;
    const error = new KvsError(429, route.rateLimitCode ?? 'RATE_LIMIT_EXCEEDED', message);
    return toErrorResponse(error, { 'retry-after': String(meter.secondsUntilRoom(kind, units)) });
  }

  function handle(rawPath: string, body: string | undefined): ServiceResponse {
    const path = rawPath.split('?')[0] ?? rawPath;
    counters.byPath[path] = (counters.byPath[path] ?? 0) + 1;
    const route = ROUTES[path];
    if (route === undefined) {
      return toErrorResponse(new KvsError(404, 'NOT_FOUND', `The sandbox KVS has no endpoint ${path}.`));
    }
    const bodyBytes = Buffer.byteLength(body ?? '', 'utf8');
    if (route.batch && meter.wouldExceed('batch', 1)) return rejectForQuota('batch', 1, route);

    if (route.kind === 'write') {
      const units = countQuotaUnits(bodyBytes);
      if (meter.wouldExceed('write', units)) return rejectForQuota('write', units, route);
      const response = runRoute(route, body, bodyBytes);
      meter.record('write', units);
      if (route.batch) {
        meter.record('batch', 1);
        counters.batchOps += 1;
      }
      counters.writes += 1;
      counters.writeUnits += units;
      return response;
    }

    const response = runRoute(route, body, bodyBytes);
    const units = countQuotaUnits(Buffer.byteLength(response.body ?? '', 'utf8'));
    if (meter.wouldExceed('read', units)) return rejectForQuota('read', units, route);
    meter.record('read', units);
    if (route.batch) {
      meter.record('batch', 1);
      counters.batchOps += 1;
    }
    counters.reads += 1;
    counters.readUnits += units;
    return response;
  }

  function runRoute(route: Route, body: string | undefined, bodyBytes: number): ServiceResponse {
    try {
      return toServiceResponse(route.run(store, parseJsonBody(body), bodyBytes, settings));
    } catch (error) {
      if (error instanceof KvsError) return toErrorResponse(error);
      throw error;
    }
  }

  return {
    handle,
    snapshot: () => store.snapshot(),
    counters,
    setQuotaEnforcement: (enforce) => meter.setEnforcement(enforce),
    setTtlLinger: (seconds) => {
      if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`TTL linger must be ≥ 0 seconds, not ${seconds}`);
      store.ttl.lingerMs = Math.round(seconds * 1000);
    },
    quotaUsage: () => ({
      readUnits: meter.usage('read'),
      writeUnits: meter.usage('write'),
      batchOperations: meter.usage('batch'),
    }),
  };
}
