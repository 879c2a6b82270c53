import type { Finding } from './finding';
import { removeBidiControls, stripUnsafeCharacters, truncateText } from './text';
import {
  DEFAULT_SUMMARY_TEMPLATE,
  SUMMARY_MAX_LENGTH,
  parseSummaryTemplate,
  renderParts,
  type Part,
  type SummaryValues,
} from './summary-template';

/**
 * The Jira summary of a finding: what a triager reads on a board, so two findings of one rule in
 * one log must not look alike. It carries the finding's locator:
 *
 * - code: `<rule or title> in <file>:<line>`
 * - a dependency (attributes `package`/`version`, or a `purl`): `<title> in <package>@<version>`
 * - a running system (a location URL, no file): `<title> on <host/path>`
 *
 * with the first CVE in front (`CVE-…: `) unless the title names it already. A mapping may replace
 * the layout with a template over a fixed set of placeholders (./summary-template.ts). The result is
 * one line of at most 255 characters (Jira's limit): long paths lose their middle first (the file
 * name and line stay), then the title is shortened. Bidi controls are removed (Trojan source).
 * Pure and dependency-light: the admin page bundles it for its live preview.
 */

function oneLine(value: string): string {
  // stripUnsafeCharacters removes bidi controls from one-line text too; said twice on purpose.
  return removeBidiControls(stripUnsafeCharacters(value, false)).replace(/\s+/g, ' ').trim();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Shortens a path-like value to `max` characters by replacing its middle with `…`, keeping its
 * start and as many whole trailing segments as fit (at least the file name and line, when they fit).
 */
export function elideMiddle(value: string, max: number): string {
  if (value.length <= max) return value;
  if (max < 3) return truncateText(value, max);
  const room = max - 1;
  const lastSlash = value.lastIndexOf('/');
  const name = lastSlash >= 0 ? value.slice(lastSlash) : value;
  if (name.length >= room - 4) {
    let start = value.length - (room - 1);
    if (isHighSurrogate(value.charCodeAt(start - 1))) start += 1;
    return `${value.slice(0, 1)}…${value.slice(start)}`;
  }
  // the longest suffix starting at a "/" that leaves at least a third of the room for the start
  let suffixStart = lastSlash;
  for (let i = lastSlash - 1; i > 0; i -= 1) {
    if (value[i] !== '/') continue;
    if (value.length - i > room - Math.ceil(room / 3)) break;
    suffixStart = i;
  }
  const suffix = value.slice(suffixStart);
  let headLength = room - suffix.length;
  if (isHighSurrogate(value.charCodeAt(headLength - 1))) headLength -= 1;
  return `${value.slice(0, headLength)}…${suffix}`;
}

const PACKAGE_KEYS = ['package', 'packageName', 'package_name', 'component', 'dependency'];
const VERSION_KEYS = ['version', 'packageVersion', 'package_version', 'componentVersion', 'installedVersion'];

function attribute(finding: SummaryFinding, keys: ReadonlyArray<string>): string {
  for (const key of keys) {
    const value = finding.attributes?.[key];
    if (typeof value === 'string' && value.trim() !== '') return oneLine(value);
    if (typeof value === 'number') return String(value);
  }
  return '';
}

/** `pkg:npm/%40scope/name@1.2.3?qualifiers#subpath` → name and version (name with its namespace). */
function readPurl(value: string): { name: string; version: string } | undefined {
  const match = /^pkg:[A-Za-z.+-]+\/([^@?#]+)(?:@([^?#]+))?/.exec(value.trim());
  if (!match) return undefined;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  return { name: oneLine(decode(match[1]!)), version: oneLine(decode(match[2] ?? '')) };
}

function urlParts(value: string): { shown: string; host: string } {
  try {
    const url = new URL(value);
    const path = url.pathname === '/' ? '' : url.pathname;
    return { shown: `${url.host}${path}`, host: url.host };
  } catch {
    return { shown: oneLine(value), host: '' };
  }
}

export type SummaryFinding = Pick<Finding, 'title' | 'cve'> &
  Partial<Pick<Finding, 'location' | 'attributes' | 'severity' | 'scanner' | 'asset'>>;

/** The placeholder values of a finding (one-line, bidi controls removed, not yet shortened). */
export function summaryValues(finding: SummaryFinding): SummaryValues {
  const title = oneLine(finding.title);
  const firstCve = finding.cve[0] ?? '';
  const cve = firstCve !== '' && !title.toUpperCase().includes(firstCve.toUpperCase()) ? firstCve : '';
  const file = finding.location?.file !== undefined ? oneLine(finding.location.file) : '';
  const line = finding.location?.line !== undefined ? String(finding.location.line) : '';
  const url = finding.location?.url !== undefined ? oneLine(finding.location.url) : '';
  const { shown, host } = url !== '' ? urlParts(url) : { shown: '', host: '' };
  const purlText = attribute(finding, ['purl', 'packageUrl']);
  const purl = purlText !== '' ? readPurl(purlText) : undefined;
  const pkg = attribute(finding, PACKAGE_KEYS) || purl?.name || '';
  const version = attribute(finding, VERSION_KEYS) || purl?.version || '';
  let locator = '';
  let at = '';
  if (pkg !== '') {
    locator = version !== '' ? `${pkg}@${version}` : pkg;
    at = `in ${locator}`;
  } else if (file !== '') {
    locator = line !== '' ? `${file}:${line}` : file;
    at = `in ${locator}`;
  } else if (shown !== '') {
    locator = shown;
    at = `on ${locator}`;
  }
  return {
    title,
    cve,
    at,
    locator,
    rule: attribute(finding, ['ruleId', 'rule']),
    file,
    line,
    package: pkg,
    version,
    url,
    host,
    severity: finding.severity ?? '',
    scanner: finding.scanner !== undefined ? oneLine(finding.scanner) : '',
    asset: finding.asset !== undefined ? oneLine(finding.asset.name) : '',
  };
}

/** A path or URL in a summary keeps at most this many characters before its middle is elided. */
const LOCATOR_MAX = 120;
const TITLE_MIN = 40;

function elideLocators(values: SummaryValues, max: number): SummaryValues {
  const locator = elideMiddle(values.locator, max);
  const preposition = values.at.slice(0, 3);
  return {
    ...values,
    locator,
    at: values.at === '' ? '' : `${preposition}${locator}`,
    file: elideMiddle(values.file, max),
    url: elideMiddle(values.url, max),
  };
}

/**
 * The summary of a finding under a template (the built-in layout when none or an invalid one is
 * given; the config schema refuses invalid templates, so that is only a safety net).
 */
export function renderSummary(finding: SummaryFinding, template?: string): string {
  const parsed = parseSummaryTemplate(template ?? DEFAULT_SUMMARY_TEMPLATE);
  const parts = parsed.ok ? parsed.parts : (parseSummaryTemplate(DEFAULT_SUMMARY_TEMPLATE) as { parts: Part[] }).parts;
  const finish = (text: string) => text.replace(/\s+/g, ' ').trim();
  let values = summaryValues(finding);
  let summary = finish(renderParts(parts, values));
  if (summary.length <= SUMMARY_MAX_LENGTH) return summary || values.title;
  values = elideLocators(values, LOCATOR_MAX);
  summary = finish(renderParts(parts, values));
  const overflow = summary.length - SUMMARY_MAX_LENGTH;
  if (overflow > 0 && values.title.length > TITLE_MIN) {
    values = { ...values, title: truncateText(values.title, Math.max(TITLE_MIN, values.title.length - overflow)) };
    summary = finish(renderParts(parts, values));
  }
  return truncateText(summary, SUMMARY_MAX_LENGTH);
}

/** Sample findings for the admin page's live preview: one of each locator kind. */
export const SUMMARY_SAMPLES: ReadonlyArray<{ label: string; finding: SummaryFinding }> = [
  {
    label: 'code',
    finding: {
      title: 'XML injection (aka Blind XPath injection)',
      cve: [],
      location: { file: 'src/main/java/com/example/billing/InvoiceParser.java', line: 212 },
      attributes: { ruleId: 'java/xml-injection' },
      severity: 'high',
      scanner: 'CodeQL',
      asset: { id: 'billing-service', name: 'billing-service' },
    },
  },
  {
    label: 'dependency',
    finding: {
      title: 'Remote code execution in template compilation',
      cve: ['CVE-2021-23369'],
      attributes: { package: 'handlebars', version: '4.7.6' },
      severity: 'critical',
      scanner: 'dependency-check',
      asset: { id: 'storefront', name: 'storefront' },
    },
  },
  {
    label: 'running system',
    finding: {
      title: 'Missing Content-Security-Policy header',
      cve: [],
      location: { url: 'https://shop.example.com/checkout' },
      attributes: {},
      severity: 'medium',
      scanner: 'ZAP',
      asset: { id: 'shop', name: 'shop.example.com' },
    },
  },
];
