/**
 * The one reader of an HTTP `Retry-After` header (RFC 9110 §10.2.3), for Jira's answers and the
 * platform's alike. The value is either delta-seconds (`1*DIGIT`) or an HTTP-date: the preferred
 * IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) or one of the two obsolete forms recipients must
 * still accept (RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`, asctime `Sun Nov  6 08:49:37 1994`).
 * Anything else (`0.5`, `0x10`, `1e3`, `-1`, `soon`) is invalid and reads as absent, so the caller
 * falls back to its own wait. Pure: the caller passes `now`.
 */

/** The longest wait a `Retry-After` can ask for; a larger value is read as this. */
export const RETRY_AFTER_MAX_MS = 24 * 3600_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`,
);
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

type DateParts = { year: number; month: string; day: string; hour: string; minute: string; second: string };

function toEpochMs(parts: DateParts): number | undefined {
  const month = MONTHS.indexOf(parts.month as (typeof MONTHS)[number]);
  const [day, hour, minute, second] = [parts.day, parts.hour, parts.minute, parts.second].map((p) => Number(p.trim()));
  if (day === undefined || hour === undefined || minute === undefined || second === undefined) return undefined;
  // A leap second (60) is allowed by the grammar; it reads as the next second.
  if (month < 0 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(parts.year, month, day, hour, minute, second);
  const date = new Date(Date.UTC(parts.year, month, day));
  return date.getUTCMonth() === month && date.getUTCDate() === day ? ms : undefined;
}

/** An HTTP-date → epoch milliseconds; `undefined` when the text is not one of the three forms. */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) {
    const [, day, month, year, hour, minute, second] = match as unknown as string[];
    return toEpochMs({ year: Number(year), month: month!, day: day!, hour: hour!, minute: minute!, second: second! });
  }
  match = RFC850_DATE.exec(text);
  if (match) {
    const [, day, month, yy, hour, minute, second] = match as unknown as string[];
    // A two-digit year more than 50 years ahead is the latest past year with those digits (RFC 9110 §5.6.7).
    const nowYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + Number(yy);
    if (year > nowYear + 50) year -= 100;
    return toEpochMs({ year, month: month!, day: day!, hour: hour!, minute: minute!, second: second! });
  }
  match = ASCTIME_DATE.exec(text);
  if (match) {
    const [, month, day, hour, minute, second, year] = match as unknown as string[];
    return toEpochMs({ year: Number(year), month: month!, day: day!, hour: hour!, minute: minute!, second: second! });
  }
  return undefined;
}

/**
 * `Retry-After` → how long to wait, in milliseconds (0 for a date already past, at most
 * `RETRY_AFTER_MAX_MS`); `undefined` when the header is absent or invalid.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim(); // field values carry no surrounding whitespace (RFC 9110 §5.5)
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_MAX_MS);
  const at = parseHttpDate(text, nowMs);
  return at === undefined ? undefined : Math.min(Math.max(at - nowMs, 0), RETRY_AFTER_MAX_MS);
}
