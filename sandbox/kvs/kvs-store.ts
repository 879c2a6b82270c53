import type { KvsState, StoredItem } from './kvs-schemas';

/** Which keyspace a change is in: `keys`, `secrets` or `entity:<name>`. */
export type KvsKeyspace = 'keys' | 'secrets' | `entity:${string}`;

/** Told of every stored or removed value as it happens (the sandbox's write-ahead journal); null = removed. */
export type KvsChangeListener = (keyspace: KvsKeyspace, key: string, item: StoredItem | null) => void;

/**
 * Lazy TTL (a fault mode): Forge documents TTL but not how promptly an expired value disappears. With
 * `lingerMs` > 0 each expired value stays readable (get, query, batch, transaction conditions) for a
 * further 0..lingerMs, fixed per key and expiry by a hash, so a run is reproducible.
 */
export interface TtlSettings {
  lingerMs: number;
}

/** When the value really disappears: its expiry plus its own share of the linger window. */
export function disappearsAt(key: string, expiresAt: number, settings: TtlSettings): number {
  if (settings.lingerMs <= 0) return expiresAt;
  let hash = 0x811c9dc5;
  for (const ch of `${key}|${expiresAt}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return expiresAt + Math.floor((hash / 0x1_0000_0000) * (settings.lingerMs + 1));
}

/**
 * One keyspace (plain keys, secrets, or one custom entity) held in memory. Expired values behave as
 * absent everywhere: they are dropped the moment anything looks at them (after their linger, if any).
 */
export class KvsNamespace {
  private readonly items = new Map<string, StoredItem>();
  /** Keys that carry a TTL, so purging never has to walk the whole keyspace. */
  private readonly expiring = new Set<string>();
  /**
   * Keys in ascending order, brought up to date lazily: keys added or removed since are merged in at the next
   * query (O(n + k log k)) instead of sorting the whole keyspace again — at 100,000 findings (~400,000 keys) a
   * full sort took seconds, and a sync queries after almost every chunk.
   */
  private sortedKeys: string[] | undefined;
  private readonly addedKeys = new Set<string>();
  private readonly removedKeys = new Set<string>();

  constructor(
    private readonly now: () => number,
    private readonly keyspace: KvsKeyspace = 'keys',
    private readonly onChange?: KvsChangeListener,
    private readonly ttl: TtlSettings = { lingerMs: 0 },
  ) {}

  private isExpired(key: string, item: StoredItem, at: number): boolean {
    return item.expiresAt !== undefined && disappearsAt(key, item.expiresAt, this.ttl) <= at;
  }

  /** The live item under `key`, or undefined when absent or expired. */
  read(key: string): StoredItem | undefined {
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    if (this.isExpired(key, item, this.now())) {
      this.drop(key);
      return undefined;
    }
    return item;
  }

  /**
   * Stores `value` (already a fresh JSON-parsed object owned by the store); keeps `createdAt` when a
   * live value is replaced. `ttlMs` replaces any previous expiry.
   */
  write(key: string, value: unknown, ttlMs: number | undefined): StoredItem {
    const at = this.now();
    const previous = this.read(key);
    const item: StoredItem = {
      value,
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
      ...(ttlMs !== undefined ? { expiresAt: at + ttlMs } : {}),
    };
    if (previous === undefined) this.noteAdded(key);
    this.items.set(key, item);
    if (item.expiresAt !== undefined) this.expiring.add(key);
    else this.expiring.delete(key);
    this.onChange?.(this.keyspace, key, item);
    return item;
  }

  /** Removes `key`; true when a live value was there. */
  remove(key: string): boolean {
    const existed = this.read(key) !== undefined;
    if (existed) {
      this.drop(key);
      this.onChange?.(this.keyspace, key, null);
    }
    return existed;
  }

  /** Live keys in ascending order (JavaScript string order: UTF-16 code units, i.e. byte order for ASCII). */
  listKeys(): readonly string[] {
    this.purgeExpired();
    if (this.sortedKeys === undefined) {
      this.sortedKeys = [...this.items.keys()].sort(compareKeys);
    } else if (this.addedKeys.size > 0 || this.removedKeys.size > 0) {
      const kept =
        this.removedKeys.size > 0 ? this.sortedKeys.filter((key) => !this.removedKeys.has(key)) : this.sortedKeys;
      this.sortedKeys = mergeSorted(kept, [...this.addedKeys].sort(compareKeys));
    }
    this.addedKeys.clear();
    this.removedKeys.clear();
    return this.sortedKeys;
  }

  private noteAdded(key: string): void {
    if (this.sortedKeys === undefined) return;
    // Removed and written again before the next query: it is still in the sorted list.
    if (this.removedKeys.delete(key)) return;
    this.addedKeys.add(key);
  }

  private noteRemoved(key: string): void {
    if (this.sortedKeys === undefined) return;
    if (this.addedKeys.delete(key)) return;
    this.removedKeys.add(key);
  }

  get size(): number {
    this.purgeExpired();
    return this.items.size;
  }

  toRecord(): Record<string, StoredItem> {
    this.purgeExpired();
    const record: Record<string, StoredItem> = {};
    for (const key of this.listKeys()) {
      const item = this.items.get(key);
      if (item !== undefined) record[key] = { ...item, value: cloneJson(item.value) };
    }
    return record;
  }

  load(record: Record<string, StoredItem>): void {
    for (const [key, item] of Object.entries(record)) {
      this.items.set(key, { ...item, value: cloneJson(item.value) });
      if (item.expiresAt !== undefined) this.expiring.add(key);
    }
    this.sortedKeys = undefined;
    this.addedKeys.clear();
    this.removedKeys.clear();
  }

  private drop(key: string): void {
    if (this.items.delete(key)) this.noteRemoved(key);
    this.expiring.delete(key);
  }

  private purgeExpired(): void {
    const at = this.now();
    for (const key of this.expiring) {
      const item = this.items.get(key);
      if (item === undefined || this.isExpired(key, item, at)) this.drop(key);
    }
  }
}

/** Plain keys, secrets (never returned by query) and custom entities live in separate keyspaces, as on Forge. */
export class KvsStore {
  readonly keys: KvsNamespace;
  readonly secrets: KvsNamespace;
  private readonly entities = new Map<string, KvsNamespace>();

  /** Shared by every keyspace; `lingerMs` may be changed at any time (`kvs.setTtlLinger`). */
  readonly ttl: TtlSettings = { lingerMs: 0 };

  constructor(
    private readonly now: () => number,
    private readonly onChange?: KvsChangeListener,
  ) {
    this.keys = new KvsNamespace(now, 'keys', onChange, this.ttl);
    this.secrets = new KvsNamespace(now, 'secrets', onChange, this.ttl);
  }

  entity(entityName: string): KvsNamespace {
    let namespace = this.entities.get(entityName);
    if (namespace === undefined) {
      namespace = new KvsNamespace(this.now, `entity:${entityName}`, this.onChange, this.ttl);
      this.entities.set(entityName, namespace);
    }
    return namespace;
  }

  snapshot(): KvsState {
    const entities: KvsState['entities'] = {};
    for (const [name, namespace] of this.entities) {
      if (namespace.size > 0) entities[name] = namespace.toRecord();
    }
    return { version: 1, keys: this.keys.toRecord(), secrets: this.secrets.toRecord(), entities };
  }

  restore(state: KvsState): void {
    this.keys.load(state.keys);
    this.secrets.load(state.secrets);
    for (const [name, record] of Object.entries(state.entities)) this.entity(name).load(record);
  }
}

/** JavaScript string order (UTF-16 code units, i.e. byte order for ASCII keys). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Two ascending lists with no key in common, as one. */
function mergeSorted(left: readonly string[], right: readonly string[]): string[] {
  if (right.length === 0) return left as string[];
  const out = new Array<string>(left.length + right.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < left.length && j < right.length) out[k++] = left[i]! < right[j]! ? left[i++]! : right[j++]!;
  while (i < left.length) out[k++] = left[i++]!;
  while (j < right.length) out[k++] = right[j++]!;
  return out;
}

/** Values cross the wire as JSON on Forge: store and hand out copies so callers cannot alias stored state. */
function cloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
