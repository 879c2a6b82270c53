import { badRequest, KvsError, truncate } from './kvs-error';
import { KVS_LIMITS } from './kvs-rules';
import type { Conditions, Filter, TransactionRequest } from './kvs-schemas';
import type { KvsStore } from './kvs-store';
import { convertTtlToMs } from './item-view';
import { matchesConditions, readConditions } from './entity-conditions';
import {
  checkKeyIn,
  checkValueIn,
  NO_CONTENT,
  resolveNamespace,
  selectKeyspace,
  throwIfDefined,
  type Keyspace,
  type OperationResult,
} from './item-operations';

/**
 * kvs.transact().execute() (transactions, transactions-entities): at most 25 operations, 4 MB, each
 * key once; every operation is validated and every condition evaluated against the state before the
 * transaction, then all writes are applied together, or none is.
 *
 * Conditions exist only for custom entities (the package attaches them only with an entity), so a
 * plain-key operation carrying conditions, or a `check` without an entity, is rejected.
 */
type OperationKind = 'set' | 'delete' | 'check';

interface PlannedOperation {
  kind: OperationKind;
  index: number;
  key: string;
  keyspace: Keyspace;
  value?: unknown;
  ttlMs?: number;
  condition?: { operator: 'and' | 'or'; filters: Filter[] };
}

export function executeTransaction(
  store: KvsStore,
  request: TransactionRequest,
  payloadBytes: number,
): OperationResult {
  const plan = planTransaction(request, payloadBytes);
  for (const operation of plan) {
    if (operation.condition === undefined) continue;
    const current = resolveNamespace(store, operation.keyspace).read(operation.key);
    const missingForCheck = operation.kind === 'check' && current === undefined;
    if (
      missingForCheck ||
      !matchesConditions(current?.value, operation.condition.operator, operation.condition.filters)
    ) {
      throw new KvsError(
        409,
        'CONDITION_CHECK_FAILED',
        `Transaction cancelled: the condition on ${operation.kind}[${operation.index}] ` +
          `(key "${truncate(operation.key)}"${describeEntity(operation.keyspace)}) is not met` +
          `${missingForCheck ? ' because the entity does not exist' : ''}. Nothing was written.`,
        { operation: operation.kind, index: operation.index, key: operation.key, ...entityContext(operation.keyspace) },
      );
    }
  }
  for (const operation of plan) {
    const namespace = resolveNamespace(store, operation.keyspace);
    if (operation.kind === 'set') namespace.write(operation.key, operation.value, operation.ttlMs);
    if (operation.kind === 'delete') namespace.remove(operation.key);
  }
  return NO_CONTENT;
}

function planTransaction(request: TransactionRequest, payloadBytes: number): PlannedOperation[] {
  const sets = request.set ?? [];
  const deletes = request.delete ?? [];
  const checks = request.check ?? [];
  const total = sets.length + deletes.length + checks.length;
  if (total === 0) throw badRequest('TRANSACTION_EMPTY', 'A transaction must contain at least one operation.');
  if (total > KVS_LIMITS.maxTransactionOperations) {
    throw badRequest(
      'TRANSACTION_SIZE_EXCEEDED',
      `Each transaction can contain a maximum of ${KVS_LIMITS.maxTransactionOperations} operations (got ${total}).`,
    );
  }
  if (payloadBytes > KVS_LIMITS.maxBulkPayloadBytes) {
    throw new KvsError(
      413,
      'PAYLOAD_TOO_LARGE',
      `Each transaction is limited to a payload size of ${KVS_LIMITS.maxBulkPayloadBytes} bytes (got ${payloadBytes}).`,
    );
  }

  const plan: PlannedOperation[] = [
    ...sets.map((op, index) => ({
      ...planOperation('set', index, op.key, op.entityName, op.conditions),
      value: op.value,
      ttlMs: convertTtlToMs(op.options?.ttl),
    })),
    ...deletes.map((op, index) => planOperation('delete', index, op.key, op.entityName, op.conditions)),
    ...checks.map((op, index) => planOperation('check', index, op.key, op.entityName, op.conditions)),
  ];

  const seen = new Set<string>();
  for (const operation of plan) {
    const identity = JSON.stringify([
      operation.keyspace.kind === 'entity' ? operation.keyspace.entityName : null,
      operation.key,
    ]);
    if (seen.has(identity)) {
      throw badRequest(
        'DUPLICATE_KEYS',
        `Each key can only be used once in a transaction: "${truncate(operation.key)}"` +
          `${describeEntity(operation.keyspace)} appears again in ${operation.kind}[${operation.index}].`,
      );
    }
    seen.add(identity);
    throwIfDefined(withOperation(operation, checkKeyIn(operation.keyspace, operation.key)));
    if (operation.kind === 'set')
      throwIfDefined(withOperation(operation, checkValueIn(operation.keyspace, operation.value)));
  }
  return plan;
}

function planOperation(
  kind: OperationKind,
  index: number,
  key: string,
  entityName: string | undefined,
  conditions: Conditions | undefined,
): PlannedOperation {
  const keyspace = selectKeyspace(entityName);
  if (conditions !== undefined && entityName === undefined) {
    throw badRequest(
      'BAD_REQUEST',
      `${kind}[${index}] (key "${truncate(key)}") has conditions but no entityName: ` +
        'transaction conditions apply to custom entities only.',
    );
  }
  if (kind === 'check' && entityName === undefined) {
    throw badRequest(
      'BAD_REQUEST',
      `check[${index}] (key "${truncate(key)}") needs an entityName: checks apply to custom entities only.`,
    );
  }
  if (conditions === undefined) return { kind, index, key, keyspace };
  const condition = readConditions(conditions);
  if (condition instanceof KvsError) throw withOperation({ kind, index, key, keyspace }, condition) as KvsError;
  return { kind, index, key, keyspace, condition };
}

/** Prefixes the operation that failed validation to the error message, keeping the code and status. */
function withOperation(
  operation: Pick<PlannedOperation, 'kind' | 'index' | 'key' | 'keyspace'>,
  error: KvsError | undefined,
): KvsError | undefined {
  if (error === undefined) return undefined;
  return new KvsError(error.status, error.code, `${operation.kind}[${operation.index}]: ${error.message}`, {
    operation: operation.kind,
    index: operation.index,
    key: operation.key,
    ...entityContext(operation.keyspace),
  });
}

function describeEntity(keyspace: Keyspace): string {
  return keyspace.kind === 'entity' ? ` of entity "${keyspace.entityName}"` : '';
}

function entityContext(keyspace: Keyspace): { entityName?: string } {
  return keyspace.kind === 'entity' ? { entityName: keyspace.entityName } : {};
}
