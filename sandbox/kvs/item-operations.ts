import { badRequest, KvsError, keyNotFound, type KvsErrorCode } from './kvs-error';
import { checkEntityKey, checkEntityName, checkKey, checkValue, KVS_LIMITS } from './kvs-rules';
import type { ExtendedSetOptions, MetadataField } from './kvs-schemas';
import type { KvsNamespace, KvsStore } from './kvs-store';
import { convertTtlToMs, renderItem } from './item-view';

/** Where a key lives: plain KVS keys, the secret store, or one custom entity. */
export type Keyspace = { kind: 'keys' } | { kind: 'secrets' } | { kind: 'entity'; entityName: string };

/** What an operation answers: a status and a JSON body (none for 204). */
export interface OperationResult {
  status: number;
  body?: unknown;
}

export const NO_CONTENT: OperationResult = { status: 204 };

export function selectKeyspace(entityName: string | undefined): Keyspace {
  return entityName === undefined ? { kind: 'keys' } : { kind: 'entity', entityName };
}

export function resolveNamespace(store: KvsStore, keyspace: Keyspace): KvsNamespace {
  switch (keyspace.kind) {
    case 'keys':
      return store.keys;
    case 'secrets':
      return store.secrets;
    case 'entity':
      return store.entity(keyspace.entityName);
  }
}

/** Key (and entity name) rules for the keyspace; undefined when the key is acceptable. */
export function checkKeyIn(keyspace: Keyspace, key: string): KvsError | undefined {
  if (keyspace.kind !== 'entity') return checkKey(key);
  return checkEntityName(keyspace.entityName) ?? checkEntityKey(key);
}

/** Value rules for the keyspace: size and depth, secrets' smaller size, entities must be attribute objects. */
export function checkValueIn(keyspace: Keyspace, value: unknown): KvsError | undefined {
  if (keyspace.kind === 'entity' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    return badRequest(
      'INVALID_ENTITY_VALUE',
      `A custom entity value must be an object of attributes (entity "${keyspace.entityName}").`,
    );
  }
  const maxBytes = keyspace.kind === 'secrets' ? KVS_LIMITS.maxSecretValueBytes : KVS_LIMITS.maxValueBytes;
  return checkValue(value, maxBytes);
}

function entityNameOf(keyspace: Keyspace): string | undefined {
  return keyspace.kind === 'entity' ? keyspace.entityName : undefined;
}

export function getItem(
  store: KvsStore,
  keyspace: Keyspace,
  key: string,
  metadataFields: readonly MetadataField[] | undefined,
): OperationResult {
  throwIfDefined(checkKeyIn(keyspace, key));
  const item = resolveNamespace(store, keyspace).read(key);
  if (item === undefined) throw keyNotFound(key);
  return { status: 200, body: renderItem(key, item, metadataFields, entityNameOf(keyspace)) };
}

/**
 * kvs.set / setSecret / entity().set. `keyPolicy: 'FAIL_IF_EXISTS'` refuses to replace a live value
 * (409 KEY_CONFLICT); `returnValue` (only with `keyPolicy: 'OVERRIDE'`, as @forge/kvs types it)
 * answers the previous or the new item, with `returnMetadataFields`.
 */
export function setItem(
  store: KvsStore,
  keyspace: Keyspace,
  key: string,
  value: unknown,
  options: ExtendedSetOptions | undefined,
): OperationResult {
  throwIfDefined(checkKeyIn(keyspace, key) ?? checkValueIn(keyspace, value) ?? checkSetOptions(options));
  const namespace = resolveNamespace(store, keyspace);
  const previous = namespace.read(key);
  if (options?.keyPolicy === 'FAIL_IF_EXISTS' && previous !== undefined) {
    throw new KvsError(409, 'KEY_CONFLICT', `Key "${key}" already exists and keyPolicy is FAIL_IF_EXISTS.`);
  }
  const current = namespace.write(key, value, convertTtlToMs(options?.ttl));
  const entityName = entityNameOf(keyspace);
  if (options?.returnValue === 'LATEST') {
    return { status: 200, body: renderItem(key, current, options.returnMetadataFields, entityName) };
  }
  if (options?.returnValue === 'PREVIOUS' && previous !== undefined) {
    return { status: 200, body: renderItem(key, previous, options.returnMetadataFields, entityName) };
  }
  return NO_CONTENT;
}

function checkSetOptions(options: ExtendedSetOptions | undefined): KvsError | undefined {
  if (options === undefined) return undefined;
  if (options.returnValue !== undefined && options.keyPolicy !== 'OVERRIDE') {
    return badRequest('BAD_REQUEST', 'returnValue can only be used with keyPolicy "OVERRIDE".');
  }
  if (options.returnMetadataFields !== undefined && options.returnValue === undefined) {
    return badRequest('BAD_REQUEST', 'returnMetadataFields can only be used together with returnValue.');
  }
  return undefined;
}

/** kvs.delete / deleteSecret / entity().delete: 404 KEY_NOT_FOUND when absent (the package turns that into success). */
export function deleteItem(store: KvsStore, keyspace: Keyspace, key: string): OperationResult {
  throwIfDefined(checkKeyIn(keyspace, key));
  if (!resolveNamespace(store, keyspace).remove(key)) throw keyNotFound(key);
  return NO_CONTENT;
}

export function throwIfDefined(error: KvsError | undefined): void {
  if (error !== undefined) throw error;
}

/** `{ code, message }` of an error, as batch responses list them per key. */
export function describeError(error: KvsError): { code: KvsErrorCode; message: string } {
  return { code: error.code, message: error.message };
}
