import { kvs } from './kvs-client';
import { DeadCallbackSchema, OutboxEntrySchema } from '../domain/outbox-entry';
import type { CallbackOutbox, DeadCallback, OutboxEntry } from '../usecases/callback-ports';
import { callbackKeys } from './callback-keys';
import { batchSetValues } from './kvs-batch';
import { queryPrefixPage } from './kvs-scan';

/**
 * The callback outbox in KVS: `cb:out:<id>` for undelivered callbacks, `cb:done:<id>` receipts (7
 * days), `cb:dead:<id>` dead letters. Moves between them are single transactions, so a callback is
 * always in exactly one place.
 */

const RECEIPT_TTL_DAYS = 7;

function parseEntry(key: string, value: unknown): OutboxEntry {
  const parsed = OutboxEntrySchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `Outbox entry ${key} is corrupt: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

function queryPage(prefix: string, options: { limit?: number; cursor?: string }) {
  return queryPrefixPage(prefix, options);
}

export const outboxRepository: CallbackOutbox = {
  async get(id) {
    const key = callbackKeys.outbox(id);
    const value = await kvs.get(key);
    return value === undefined ? undefined : parseEntry(key, value);
  },
  async addMany(entries) {
    await batchSetValues(entries.map((entry) => ({ key: callbackKeys.outbox(entry.id), value: entry })));
  },
  async update(entry) {
    await kvs.set(callbackKeys.outbox(entry.id), entry);
  },
  async markDelivered(entry, at) {
    await kvs
      .transact()
      .delete(callbackKeys.outbox(entry.id))
      .set(
        callbackKeys.delivered(entry.id),
        { id: entry.id, type: entry.callback.type, deliveredAt: at.toISOString(), attempts: entry.attempts },
        undefined,
        { ttl: { value: RECEIPT_TTL_DAYS, unit: 'DAYS' } },
      )
      .execute();
  },
  async wasDelivered(id) {
    return (await kvs.get(callbackKeys.delivered(id))) !== undefined;
  },
  async discard(id) {
    await kvs.delete(callbackKeys.outbox(id));
  },
  async moveToDead(letter) {
    await kvs.transact().delete(callbackKeys.outbox(letter.id)).set(callbackKeys.dead(letter.id), letter).execute();
  },
  async getDead(id) {
    const parsed = DeadCallbackSchema.safeParse(await kvs.get(callbackKeys.dead(id)));
    return parsed.success ? parsed.data : undefined;
  },
  async listDead(options = {}) {
    const page = await queryPage(callbackKeys.deadPrefix(), options);
    const letters: DeadCallback[] = page.results.flatMap((result) => {
      const parsed = DeadCallbackSchema.safeParse(result.value);
      return parsed.success ? [parsed.data] : [];
    });
    return { letters, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
  },
  async revive(letter, entry) {
    await kvs.transact().delete(callbackKeys.dead(letter.id)).set(callbackKeys.outbox(entry.id), entry).execute();
  },
  async listPending(options = {}) {
    const page = await queryPage(callbackKeys.outboxPrefix(), options);
    const entries = page.results.map((result) => parseEntry(result.key, result.value));
    return { entries, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) };
  },
};
