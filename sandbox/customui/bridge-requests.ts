import { z } from 'zod';

/** What the page's bridge shim may send to the sandbox (`POST ./__sandbox/invoke`). */

/** Forge caps a front-end `invoke` request at 500 KB. */
export const MAX_INVOKE_REQUEST_BYTES = 500 * 1024;

export const InvokeRequestSchema = z
  .object({
    functionKey: z
      .string({ error: 'functionKey must be a string' })
      .min(1, 'functionKey is empty')
      .max(255, 'functionKey is longer than 255 characters'),
    payload: z.unknown().optional(),
  })
  .strict();
export type InvokeRequest = z.infer<typeof InvokeRequestSchema>;

export interface BridgeRequestError {
  status: 400 | 403 | 413 | 415;
  message: string;
  details?: { path: string; message: string }[];
}

/** Parses the raw body of an invoke request; `error` says precisely what is wrong. */
export function parseInvokeRequest(
  contentType: string | undefined,
  body: Buffer,
): { ok: true; value: InvokeRequest } | { ok: false; error: BridgeRequestError } {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    const got = contentType ? `'${contentType}'` : 'no content type';
    return {
      ok: false,
      error: {
        status: 415,
        message: `invoke requests must be application/json, got ${got}`,
      },
    };
  }
  if (body.length > MAX_INVOKE_REQUEST_BYTES) {
    return {
      ok: false,
      error: {
        status: 413,
        message: `the invoke request is ${body.length} bytes; Forge allows at most ${MAX_INVOKE_REQUEST_BYTES} bytes`,
      },
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      error: {
        status: 400,
        message: `the invoke request is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
  const parsed = InvokeRequestSchema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.') || '(body)',
      message: issue.message,
    }));
    return {
      ok: false,
      error: {
        status: 400,
        message: `the invoke request is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
        details,
      },
    };
  }
  return { ok: true, value: parsed.data };
}
