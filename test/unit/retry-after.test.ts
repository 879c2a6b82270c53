import { parseHttpDate, parseRetryAfterMs, RETRY_AFTER_MAX_MS } from '../../src/domain/retry-after';

/** One reader of `Retry-After` for Jira and the platform: delta-seconds (1*DIGIT) or an HTTP-date, nothing else. */
const NOW = Date.parse('2015-10-21T07:28:00Z');

describe('parseRetryAfterMs', () => {
  it.each<[string, string | null | undefined, number | undefined]>([
    ['delta-seconds', '120', 120_000],
    ['zero', '0', 0],
    ['leading zeros', '007', 7_000],
    ['surrounding whitespace trimmed', ' 7 ', 7_000],
    ['huge delta capped at a day', '99999999999999999999999', RETRY_AFTER_MAX_MS],
    ['IMF-fixdate ahead', 'Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['IMF-fixdate past reads as 0', 'Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['IMF-fixdate far ahead capped', 'Thu, 22 Oct 2099 07:28:00 GMT', RETRY_AFTER_MAX_MS],
    ['obsolete RFC 850 date', 'Wednesday, 21-Oct-15 07:28:30 GMT', 30_000],
    ['obsolete asctime date', 'Wed Oct 21 07:29:00 2015', 60_000],
    ['asctime with a one-digit day', 'Wed Oct  1 07:29:00 2015', 0],
    ['hexadecimal', '0x10', undefined],
    ['fraction', '0.5', undefined],
    ['exponent', '1e3', undefined],
    ['negative', '-1', undefined],
    ['plus sign', '+5', undefined],
    ['words', 'soon', undefined],
    ['empty', '', undefined],
    ['blank', '   ', undefined],
    ['ISO 8601 is not an HTTP-date', '2015-10-21T07:28:10Z', undefined],
    ['date without GMT', 'Wed, 21 Oct 2015 07:28:10', undefined],
    ['lower-case month', 'Wed, 21 oct 2015 07:28:10 GMT', undefined],
    ['impossible day', 'Sat, 31 Feb 2015 07:28:10 GMT', undefined],
    ['impossible hour', 'Wed, 21 Oct 2015 24:28:10 GMT', undefined],
    ['absent (null)', null, undefined],
    ['absent (undefined)', undefined, undefined],
  ])('%s: %j → %j ms', (_case, value, expected) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(expected);
  });
});

describe('parseHttpDate', () => {
  it('reads a two-digit RFC 850 year more than 50 years ahead as the latest past such year', () => {
    expect(parseHttpDate('Friday, 01-Jan-99 00:00:00 GMT', NOW)).toBe(Date.parse('1999-01-01T00:00:00Z'));
    expect(parseHttpDate('Thursday, 01-Jan-60 00:00:00 GMT', NOW)).toBe(Date.parse('2060-01-01T00:00:00Z'));
    expect(parseHttpDate('Sunday, 01-Jan-66 00:00:00 GMT', NOW)).toBe(Date.parse('1966-01-01T00:00:00Z'));
  });
});
