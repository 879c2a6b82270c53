import { AsyncEventSchema } from './queue-event';

/** Queue consumer for `finding-sync` (manifest: `finding-sync-consumer`). The sync use case lands with the findings → Jira work. */
export async function syncConsumer(event: unknown): Promise<void> {
  const parsed = AsyncEventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`finding-sync event has an unexpected shape: ${parsed.error.issues[0]?.message}`);
}
