import { badRequest, truncate, type KvsError } from './kvs-error';

/**
 * Forge's key, value and entity-name rules (limits-kvs-ce, handling-errors-kvs,
 * handling-errors-customentities). Each check returns the error Forge answers with, or undefined.
 */
export const KVS_LIMITS = {
  /** Key length, in characters. */
  maxKeyLength: 500,
  /** "The provided key needs to be more than one character" (handling-errors-kvs). */
  minKeyLength: 2,
  /** "Value size 240 KiB: maximum size of a single persisted value". Measured as UTF-8 bytes of the JSON. */
  maxValueBytes: 240 * 1024,
  /** "persisted JSON values may be up to 128 KiB" (storage-api-secret). */
  maxSecretValueBytes: 128 * 1024,
  /** "maximum object depth (32)": nested objects/arrays, the top-level container counting as 1. */
  maxDepth: 32,
  /**
   * Query page size: default 10. The documents disagree on the maximum: "Querying key-value pairs"
   * (storage-api-query, Nov 11, 2024) says "up to a maximum of 20"; "Error handling for the
   * Key-Value Store" (handling-errors-kvs, Mar 14, 2024) says LIST_QUERY_LIMIT_EXCEEDED "Limit for
   * list query should be below 100". The sandbox enforces 20 unless `queryLimitReading: 'errors-page'`.
   */
  defaultQueryLimit: 10,
  maxQueryLimit: 20,
  maxQueryLimitErrorsPage: 100,
  /** "Each batch operation can contain a maximum of 25 keys" (batchops-entities). */
  maxBatchItems: 25,
  /** "Each transaction can contain a maximum of 25 operations" (transactions). */
  maxTransactionOperations: 25,
  /** "Each transaction is limited to a payload size of 4MB"; same for batchSet. */
  maxBulkPayloadBytes: 4 * 1024 * 1024,
  /** Custom entity names: more than 3 and at most 60 characters. */
  minEntityNameLength: 3,
  maxEntityNameLength: 60,
} as const;

/**
 * The key regex exactly as Forge documents it. Without the `u` flag, `\s-#` inside the class is a
 * literal `-` after the whitespace class, so the class is letters, digits, `:`, `.`, `_`, whitespace,
 * `-` and `#`; the lookahead rejects whitespace-only keys.
 */
export const KVS_KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/;

/** Custom entity name regex as Forge documents it. */
export const ENTITY_NAME_PATTERN = /^(?![.-])(?!.*\.{2})[a-z0-9:\-.]*(?<![.])$/;

export function checkKey(key: string): KvsError | undefined {
  if (key.length < KVS_LIMITS.minKeyLength) {
    return badRequest('KEY_TOO_SHORT', `The provided key needs to be more than one character (got ${key.length}).`);
  }
  if (key.length > KVS_LIMITS.maxKeyLength) {
    return badRequest(
      'KEY_TOO_LONG',
      `The provided key has exceeded the maximum ${KVS_LIMITS.maxKeyLength} characters (got ${key.length}).`,
    );
  }
  if (!KVS_KEY_PATTERN.test(key)) {
    return badRequest(
      'INVALID_KEY',
      `The provided key "${truncate(key)}" does not match the regex: ${KVS_KEY_PATTERN.source}`,
    );
  }
  return undefined;
}

/** Custom Entity Store keys: same regex and length, but an empty key is EMPTY_KEY. */
export function checkEntityKey(key: string): KvsError | undefined {
  if (key.length === 0) return badRequest('EMPTY_KEY', 'Key cannot be empty.');
  if (key.length > KVS_LIMITS.maxKeyLength) {
    return badRequest(
      'KEY_TOO_LONG',
      `The provided key has exceeded the maximum ${KVS_LIMITS.maxKeyLength} characters (got ${key.length}).`,
    );
  }
  if (!KVS_KEY_PATTERN.test(key)) {
    return badRequest(
      'INVALID_KEY',
      `The provided key "${truncate(key)}" does not match the regex: ${KVS_KEY_PATTERN.source}`,
    );
  }
  return undefined;
}

export function checkEntityName(entityName: string): KvsError | undefined {
  if (entityName.length <= KVS_LIMITS.minEntityNameLength) {
    return badRequest('ENTITY_TYPE_TOO_SHORT', `The entity name "${entityName}" needs to be more than 3 characters.`);
  }
  if (entityName.length > KVS_LIMITS.maxEntityNameLength) {
    return badRequest(
      'ENTITY_TYPE_TOO_LARGE',
      `The entity name has exceeded the maximum ${KVS_LIMITS.maxEntityNameLength} characters ` +
        `(got ${entityName.length}).`,
    );
  }
  if (!ENTITY_NAME_PATTERN.test(entityName)) {
    return badRequest(
      'INVALID_ENTITY_TYPE',
      `The entity name "${truncate(entityName)}" does not match the regex: ${ENTITY_NAME_PATTERN.source}`,
    );
  }
  return undefined;
}

/** Size in bytes of a value as persisted (its JSON text, UTF-8). */
export function measureValueBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/**
 * Nesting depth: a primitive is 0, `{}`/`[]` is 1, `{a:{}}` is 2. Iterative, so deep input cannot overflow the stack.
 */
export function measureDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children) pending.push({ node: child, depth: level });
  }
  return deepest;
}

export function checkValue(value: unknown, maxBytes: number = KVS_LIMITS.maxValueBytes): KvsError | undefined {
  if (value === undefined || value === null) {
    return badRequest(
      'INVALID_VALUE',
      'A value must be a string, number, boolean, array or object; null and undefined cannot be stored.',
    );
  }
  const depth = measureDepth(value);
  if (depth > KVS_LIMITS.maxDepth) {
    return badRequest(
      'MAX_DEPTH',
      `The provided value has exceeded the maximum object depth (${KVS_LIMITS.maxDepth}) limit (got ${depth}).`,
    );
  }
  const bytes = measureValueBytes(value);
  if (bytes > maxBytes) {
    return badRequest(
      'MAX_SIZE',
      `The provided value has exceeded the maximum size limit of ${maxBytes} bytes (got ${bytes}).`,
    );
  }
  return undefined;
}
