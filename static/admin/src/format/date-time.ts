/** Date formatting for the admin page, in the viewer's Jira locale and time zone. */

export interface DateTimeSettings {
  locale: string;
  timeZone: string;
}

/** `Nov 22, 2026, 3:51 AM UTC`-style text, or undefined when `iso` is not a date. */
export function formatDateTime(iso: string, settings: DateTimeSettings): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // (dateStyle/timeStyle cannot be combined with timeZoneName, so the parts are spelled out.)
  return new Intl.DateTimeFormat(settings.locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: settings.timeZone,
    timeZoneName: 'short',
  }).format(date);
}

/** `14:00`-style time of day (24-hour) in the viewer's zone, or undefined when `iso` is not a date. */
export function formatTimeOfDay(iso: string, settings: DateTimeSettings): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Intl.DateTimeFormat(settings.locale, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: settings.timeZone,
  }).format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** `3 minutes ago`, `in 2 hours`, `now`; undefined when `iso` is not a date. */
export function formatRelativeTime(iso: string, now: Date, locale: string): string | undefined {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return undefined;
  const seconds = Math.round((time - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}
