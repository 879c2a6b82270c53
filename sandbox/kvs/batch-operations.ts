import { z } from 'zod';
import { badRequest, KvsError, keyNotFound } from './kvs-error';
import { KVS_LIMITS } from './kvs-rules';
import type { BatchDeleteRequestSchema, BatchGetRequestSchema, BatchSetRequestSchema } from './kvs-schemas';
import type { KvsStore } from './kvs-store';
import { convertTtlToMs, renderItem, type ItemView } from './item-view';
import {
  checkKeyIn,
  checkValueIn,
  describeError,
  resolveNamespace,
  selectKeyspace,
  type OperationResult,
} from './item-operations';

/**
 * kvs.batchSet / batchGet / batchDelete (batchops, batchops-entities): at most 25 keys, 4 MB payload;
 * the whole batch fails when it is empty or names the same key (and entity) twice; otherwise each
 * item succeeds or fails on its own and the answer is `{ successfulKeys, failedKeys }`.
 */
interface BatchItemRef {
  key: string;
  entityName?: string;
}

interface BatchItemError extends BatchItemRef {
  error: { code: string; message: string };
}

function checkBatchShape(items: readonly BatchItemRef[], payloadBytes: number): void {
  if (items.length === 0) throw badRequest('BATCH_EMPTY', 'A batch operation must contain at least one key.');
  if (items.length > KVS_LIMITS.maxBatchItems) {
    throw badRequest(
      'BATCH_SIZE_EXCEEDED',
      `Each batch operation can contain a maximum of ${KVS_LIMITS.maxBatchItems} keys (got ${items.length}).`,
    );
  }
  if (payloadBytes > KVS_LIMITS.maxBulkPayloadBytes) {
    throw new KvsError(
      413,
      'PAYLOAD_TOO_LARGE',
      `A batch operation payload can be at most ${KVS_LIMITS.maxBulkPayloadBytes} bytes (got ${payloadBytes}).`,
    );
  }
  const seen = new Set<string>();
  for (const item of items) {
    const identity = JSON.stringify([item.entityName ?? null, item.key]);
    if (seen.has(identity)) {
      throw badRequest(
        'DUPLICATE_KEYS',
        `The batch names the key "${item.key}"${describeEntity(item)} more than once.`,
      );
    }
    seen.add(identity);
  }
}

function describeEntity(item: BatchItemRef): string {
  return item.entityName !== undefined ? ` of entity "${item.entityName}"` : '';
}

function refOf(item: BatchItemRef): BatchItemRef {
  return item.entityName !== undefined ? { key: item.key, entityName: item.entityName } : { key: item.key };
}

function failureOf(item: BatchItemRef, error: KvsError): BatchItemError {
  return { ...refOf(item), error: describeError(error) };
}

export function batchSet(
  store: KvsStore,
  items: z.infer<typeof BatchSetRequestSchema>,
  payloadBytes: number,
): OperationResult {
  checkBatchShape(items, payloadBytes);
  const successfulKeys: BatchItemRef[] = [];
  const failedKeys: BatchItemError[] = [];
  for (const item of items) {
    const keyspace = selectKeyspace(item.entityName);
    const error = checkKeyIn(keyspace, item.key) ?? checkValueIn(keyspace, item.value);
    if (error !== undefined) {
      failedKeys.push(failureOf(item, error));
      continue;
    }
    resolveNamespace(store, keyspace).write(item.key, item.value, convertTtlToMs(item.options?.ttl));
    successfulKeys.push(refOf(item));
  }
  return { status: 200, body: { successfulKeys, failedKeys } };
}

export function batchGet(
  store: KvsStore,
  items: z.infer<typeof BatchGetRequestSchema>,
  payloadBytes: number,
): OperationResult {
  checkBatchShape(items, payloadBytes);
  const successfulKeys: ItemView[] = [];
  const failedKeys: BatchItemError[] = [];
  for (const item of items) {
    const keyspace = selectKeyspace(item.entityName);
    const error = checkKeyIn(keyspace, item.key);
    if (error !== undefined) {
      failedKeys.push(failureOf(item, error));
      continue;
    }
    const stored = resolveNamespace(store, keyspace).read(item.key);
    if (stored === undefined) {
      failedKeys.push(failureOf(item, keyNotFound(item.key)));
      continue;
    }
    successfulKeys.push(renderItem(item.key, stored, item.options?.metadataFields, item.entityName));
  }
  return { status: 200, body: { successfulKeys, failedKeys } };
}

export function batchDelete(
  store: KvsStore,
  items: z.infer<typeof BatchDeleteRequestSchema>,
  payloadBytes: number,
): OperationResult {
  checkBatchShape(items, payloadBytes);
  const successfulKeys: BatchItemRef[] = [];
  const failedKeys: BatchItemError[] = [];
  for (const item of items) {
    const keyspace = selectKeyspace(item.entityName);
    const error = checkKeyIn(keyspace, item.key);
    if (error !== undefined) {
      failedKeys.push(failureOf(item, error));
      continue;
    }
    if (!resolveNamespace(store, keyspace).remove(item.key)) {
      failedKeys.push(failureOf(item, keyNotFound(item.key)));
      continue;
    }
    successfulKeys.push(refOf(item));
  }
  return { status: 200, body: { successfulKeys, failedKeys } };
}
