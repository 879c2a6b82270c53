import { view } from '@forge/bridge';
import { z } from 'zod';

/** The parts of `view.getContext()` the admin page uses (Jira sends much more). */
const ViewContextSchema = z.object({
  accountId: z.string().optional(),
  siteUrl: z.string().optional(),
  locale: z.string().optional(),
  timezone: z.string().optional(),
  theme: z
    .object({ colorMode: z.enum(['light', 'dark']).optional() })
    .passthrough()
    .optional(),
});

export interface ViewContext {
  accountId?: string;
  /** The Jira site (`https://<site>.atlassian.net`), for links to issues. */
  siteUrl?: string;
  locale: string;
  timeZone: string;
  colorMode: 'light' | 'dark';
}

function browserDefaults(): ViewContext {
  return {
    locale: navigator.language || 'en-US',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    colorMode: 'light',
  };
}

function isSupportedTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function isSupportedLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false;
  }
}

/**
 * Reads the viewer's locale, time zone and colour mode from Jira. The page still works when the
 * context cannot be read: it falls back to the browser's settings.
 */
export async function loadViewContext(): Promise<ViewContext> {
  const fallback = browserDefaults();
  let raw: unknown;
  try {
    raw = await view.getContext();
  } catch {
    return fallback;
  }
  const parsed = ViewContextSchema.safeParse(raw);
  if (!parsed.success) return fallback;
  const { accountId, siteUrl, timezone, theme } = parsed.data;
  // Jira has sent both `en-US` and `en_US` styles over the years; Intl only takes the former.
  const locale = parsed.data.locale?.replace(/_/g, '-');
  return {
    ...(accountId ? { accountId } : {}),
    ...(siteUrl && /^https?:\/\//.test(siteUrl) ? { siteUrl: siteUrl.replace(/\/+$/, '') } : {}),
    locale: locale && isSupportedLocale(locale) ? locale : fallback.locale,
    timeZone: timezone && isSupportedTimeZone(timezone) ? timezone : fallback.timeZone,
    colorMode: theme?.colorMode ?? fallback.colorMode,
  };
}
