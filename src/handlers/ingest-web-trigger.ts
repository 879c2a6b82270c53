import { z } from 'zod';
import { errorWebTriggerResponse, type WebTriggerResponse } from './web-trigger-response';

/**
 * Ingest web trigger (manifest: `ingest-webtrigger`). The signed findings contract (DESIGN.md §3.1)
 * lands with the findings → Jira work; until then the trigger parses the Forge event and answers a
 * precise error rather than pretending to accept data it would not keep.
 */
const WebTriggerEventSchema = z.object({
  method: z.string(),
  headers: z.record(z.string(), z.array(z.string())).default({}),
  queryParameters: z.record(z.string(), z.array(z.string())).default({}),
  body: z.string().optional(),
});

export async function ingest(event: unknown): Promise<WebTriggerResponse> {
  const parsed = WebTriggerEventSchema.safeParse(event);
  if (!parsed.success) return errorWebTriggerResponse(400, 'BAD_REQUEST', 'Malformed web trigger event');
  if (parsed.data.method !== 'POST') return errorWebTriggerResponse(405, 'METHOD_NOT_ALLOWED', 'Use POST to send findings');
  return errorWebTriggerResponse(503, 'NOT_READY', 'Finding ingest is not enabled in this build of the app');
}
