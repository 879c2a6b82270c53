import { AsyncEventSchema } from './queue-event';

/** Queue consumer for `platform-callbacks` (manifest: `platform-callback-consumer`). Delivery lands with the Jira → platform work. */
export async function callbackConsumer(event: unknown): Promise<void> {
  const parsed = AsyncEventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`platform-callbacks event has an unexpected shape: ${parsed.error.issues[0]?.message}`);
}
