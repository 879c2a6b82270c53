/**
 * The summary template language of a project mapping: a fixed set of placeholders (`{title}`,
 * `{at}`, …) and optional parts in `[…]` that vanish when a placeholder inside them is empty.
 * Pure: the admin page bundles it for its live preview; src/domain/summary.ts fills the values.
 */

export const SUMMARY_MAX_LENGTH = 255;

export const SUMMARY_PLACEHOLDERS = [
  'title',
  'cve',
  'at',
  'locator',
  'rule',
  'file',
  'line',
  'package',
  'version',
  'url',
  'host',
  'severity',
  'scanner',
  'asset',
] as const;
export type SummaryPlaceholder = (typeof SUMMARY_PLACEHOLDERS)[number];
export type SummaryValues = Record<SummaryPlaceholder, string>;

/** What each placeholder holds, for the admin page. */
export const SUMMARY_PLACEHOLDER_HELP: Readonly<Record<SummaryPlaceholder, string>> = {
  title: 'the finding title',
  cve: 'the first CVE, empty when the title already names it',
  at: '"in <file>:<line>", "in <package>@<version>" or "on <host/path>"',
  locator: 'the same without "in"/"on"',
  rule: 'the rule id (attribute ruleId)',
  file: 'the location file',
  line: 'the location line',
  package: 'the package (attribute package or purl)',
  version: 'the package version',
  url: 'the location URL',
  host: 'the location URL host',
  severity: 'critical, high, medium, low or info',
  scanner: 'the scanner',
  asset: 'the asset name',
};

/** The built-in layout; `[...]` is left out when a placeholder inside it is empty. */
export const DEFAULT_SUMMARY_TEMPLATE = '[{cve}: ]{title}[ {at}]';
export const SUMMARY_TEMPLATE_MAX_LENGTH = 200;

export type Token = { kind: 'text'; value: string } | { kind: 'field'; name: SummaryPlaceholder };
export type Part = Token | { kind: 'group'; tokens: Token[] };

const PLACEHOLDER_SET: ReadonlySet<string> = new Set(SUMMARY_PLACEHOLDERS);

/** Parses a template, or explains the first problem in it. */
export function parseSummaryTemplate(template: string): { ok: true; parts: Part[] } | { ok: false; message: string } {
  if (template.length > SUMMARY_TEMPLATE_MAX_LENGTH) {
    return { ok: false, message: `Must be at most ${SUMMARY_TEMPLATE_MAX_LENGTH} characters` };
  }
  const parts: Part[] = [];
  let group: Token[] | undefined;
  let fields = 0;
  const pattern = /\{([^{}]*)\}|\[|\]|[{}]|[^{}[\]]+/g;
  for (const match of template.matchAll(pattern)) {
    const token = match[0];
    let parsed: Token | undefined;
    if (token === '[') {
      if (group) return { ok: false, message: 'Optional parts "[…]" cannot be nested' };
      group = [];
      continue;
    }
    if (token === ']') {
      if (!group) return { ok: false, message: 'A "]" has no matching "["' };
      parts.push({ kind: 'group', tokens: group });
      group = undefined;
      continue;
    }
    if (token === '{' || token === '}') return { ok: false, message: `An unmatched "${token}"` };
    if (match[1] !== undefined) {
      const name = match[1].trim();
      if (!PLACEHOLDER_SET.has(name)) {
        return {
          ok: false,
          message: `Unknown placeholder {${name}}; use ${SUMMARY_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
        };
      }
      parsed = { kind: 'field', name: name as SummaryPlaceholder };
      fields += 1;
    } else {
      parsed = { kind: 'text', value: token };
    }
    if (group) group.push(parsed);
    else parts.push(parsed);
  }
  if (group) return { ok: false, message: 'A "[" is not closed' };
  if (fields === 0) return { ok: false, message: 'Must use at least one placeholder, e.g. {title}' };
  return { ok: true, parts };
}

/** Renders parsed parts; an optional part with an empty placeholder is left out. */
export function renderParts(parts: ReadonlyArray<Part>, values: SummaryValues): string {
  const renderTokens = (tokens: ReadonlyArray<Token>) =>
    tokens.map((token) => (token.kind === 'text' ? token.value : values[token.name])).join('');
  return parts
    .map((part) => {
      if (part.kind !== 'group') return renderTokens([part]);
      const empty = part.tokens.some((token) => token.kind === 'field' && values[token.name] === '');
      return empty ? '' : renderTokens(part.tokens);
    })
    .join('');
}
