import { z } from 'zod';
import { ingestDeps } from '../composition';
import { ingestFindings } from '../usecases/ingest-findings';
import { TransientError } from '../usecases/errors';
import {
  errorWebTriggerResponse,
  jsonWebTriggerResponse,
  lowerCaseHeaders,
  type WebTriggerResponse,
} from './web-trigger-response';

/**
 * Ingest web trigger (manifest: `ingest-webtrigger`): the signed findings contract (README "Ingest
 * contract"). Parses the Forge event, calls the use case, shapes the answer.
 * Known failures become 4xx with a safe message; a transient storage/queue failure becomes 503 with
 * Retry-After (nothing was acknowledged, so the platform retries); anything else is rethrown so
 * Forge records the failure.
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
  try {
    const result = await ingestFindings(
      {
        method: parsed.data.method,
        headers: lowerCaseHeaders(parsed.data.headers),
        query: parsed.data.queryParameters,
        body: parsed.data.body ?? '',
      },
      ingestDeps(),
    );
    if (result.status === 202) return jsonWebTriggerResponse(202, result.receipt);
    const response = errorWebTriggerResponse(
      result.status,
      result.error.code,
      result.error.message,
      result.error.details,
    );
    return result.retryAfterSeconds === undefined
      ? response
      : { ...response, headers: { ...response.headers, 'Retry-After': [String(result.retryAfterSeconds)] } };
  } catch (error) {
    // Storage and queue failures arrive translated (src/storage/kvs-errors.ts).
    if (error instanceof TransientError) {
      const response = errorWebTriggerResponse(
        503,
        'TEMPORARILY_UNAVAILABLE',
        'The findings could not be stored right now; nothing was accepted. Retry later.',
      );
      return { ...response, headers: { ...response.headers, 'Retry-After': ['30'] } };
    }
    throw error;
  }
}
