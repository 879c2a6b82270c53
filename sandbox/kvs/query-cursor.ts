import { z } from 'zod';

/**
 * Query cursors: opaque to the app (Forge says not to persist them), here the base64url JSON of the
 * last key returned; the next page starts strictly after it.
 */
const CursorSchema = z.strictObject({ v: z.literal(1), after: z.string() });

export function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: lastKey }), 'utf8').toString('base64url');
}

/** The key to resume after, or undefined when the cursor is not one this service issued. */
export function decodeCursor(cursor: string): string | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = CursorSchema.safeParse(decoded);
  return parsed.success ? parsed.data.after : undefined;
}
