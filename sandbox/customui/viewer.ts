import { z } from 'zod';

/**
 * Who is looking at the page: `?as=<accountId>` or `?as=<seeded user name>` (admin, member, ...),
 * remembered in a cookie so the page's bridge calls run as the same user; the admin by default.
 */

export const VIEWER_COOKIE = 'forge-sandbox-as';

/** Atlassian account ids: `557058:…`, `712020:<uuid>`, or 24 hex digits; kept loose but bounded. */
export const AccountIdSchema = z
  .string()
  .min(1, 'is empty')
  .max(128, 'is longer than 128 characters')
  .regex(/^[A-Za-z0-9:_-]+$/, 'may contain only letters, digits, ":", "_" and "-"');

export class ViewerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ViewerError';
  }
}

export interface SeededUsers {
  readonly admin: string;
  readonly member: string;
  readonly [name: string]: string;
}

/** The accountId `?as=` names: a seeded user's name, or an accountId as is. */
export function resolveAsParameter(value: string, users: SeededUsers): string {
  const seeded = Object.prototype.hasOwnProperty.call(users, value) ? users[value] : undefined;
  if (seeded !== undefined) return seeded;
  const parsed = AccountIdSchema.safeParse(value);
  if (!parsed.success) {
    throw new ViewerError(
      `?as=${JSON.stringify(value)} is not an accountId (${parsed.error.issues[0]?.message}); ` +
        `use one of ${Object.keys(users).join(', ')} or an accountId`,
    );
  }
  return parsed.data;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}

/** The viewer remembered in the request's cookie, or the admin. */
export function viewerFromCookie(cookieHeader: string | undefined, users: SeededUsers): string {
  const value = readCookie(cookieHeader, VIEWER_COOKIE);
  if (value === undefined) return users.admin;
  const parsed = AccountIdSchema.safeParse(value);
  if (!parsed.success) {
    throw new ViewerError(
      `the ${VIEWER_COOKIE} cookie is not an accountId (${parsed.error.issues[0]?.message}); ` +
        'reopen the page with ?as=admin',
    );
  }
  return parsed.data;
}

export function viewerCookie(accountId: string): string {
  return `${VIEWER_COOKIE}=${encodeURIComponent(accountId)}; Path=/; HttpOnly; SameSite=Strict`;
}
