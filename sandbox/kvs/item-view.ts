import type { MetadataField, StoredItem, Ttl } from './kvs-schemas';

/** The `{ key, value, createdAt?, updatedAt?, expireTime? }` shape @forge/kvs reads from get/set/query responses. */
export interface ItemView {
  key: string;
  entityName?: string;
  value: unknown;
  createdAt?: number;
  updatedAt?: number;
  expireTime?: string;
}

const TTL_UNIT_MS: Record<Ttl['unit'], number> = {
  SECONDS: 1_000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

export function convertTtlToMs(ttl: Ttl | undefined): number | undefined {
  return ttl === undefined ? undefined : ttl.value * TTL_UNIT_MS[ttl.unit];
}

/**
 * Renders a stored item with the metadata fields the caller asked for. `createdAt`/`updatedAt` are
 * epoch seconds (the unit of @forge/kvs's own fixtures, e.g. 1718236800); `expireTime` is an ISO 8601
 * UTC string without milliseconds (e.g. "2025-01-12T13:00:00Z"), present only when the item has a TTL.
 */
export function renderItem(
  key: string,
  item: StoredItem,
  fields: readonly MetadataField[] | undefined,
  entityName?: string,
): ItemView {
  const view: ItemView = { key, ...(entityName !== undefined ? { entityName } : {}), value: item.value };
  if (fields?.includes('CREATED_AT')) view.createdAt = Math.floor(item.createdAt / 1000);
  if (fields?.includes('UPDATED_AT')) view.updatedAt = Math.floor(item.updatedAt / 1000);
  if (fields?.includes('EXPIRE_TIME') && item.expiresAt !== undefined)
    view.expireTime = formatExpireTime(item.expiresAt);
  return view;
}

export function formatExpireTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
