import { FINDING_LIMITS, type FindingStatus } from './finding';
import { severityFromScore, type Severity } from './severity';
import { identityKey, type SarifIdentity } from './sarif-identity';
import type { SarifLevel, SarifMessage, SarifResult, SarifRule, SarifRun } from './sarif-schema';
import { isSafeWebUrl, stripUnsafeCharacters, toOneLine, truncateText } from './text';

/**
 * One SARIF result → a finding draft (validated later with the other findings) and its identity:
 * the rule it refers to, its message (templates filled), severity from `security-severity` or the
 * effective level, CWE / CVE ids from rule and result texts and tags, the primary location, and a
 * few attributes. Code snippets are never copied (secret scanners put the secret there).
 */

export type SarifAsset = { id: string; name?: string };

/** A result on its way to becoming a finding: its position in the log, identity and draft. */
export type SarifCandidate = SarifIdentity & { ordinal: number; draft: Record<string, unknown> };

const LEVEL_SEVERITY: Readonly<Record<SarifLevel, Severity>> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: 'info',
};

/** The rule a result refers to: by index (in the driver or the named extension), else by id. */
function resolveRule(run: SarifRun, result: SarifResult): SarifRule | undefined {
  const componentIndex = result.rule?.toolComponent?.index;
  const component =
    componentIndex !== undefined ? (run.tool.extensions?.[componentIndex] ?? run.tool.driver) : run.tool.driver;
  const index = result.rule?.index ?? result.ruleIndex;
  if (index !== undefined && index >= 0) {
    const rule = component.rules?.[index];
    if (rule) return rule;
  }
  const ruleId = result.rule?.id ?? result.ruleId;
  if (ruleId !== undefined) {
    const baseId = ruleId.split('/')[0];
    for (const candidate of [run.tool.driver, ...(run.tool.extensions ?? [])]) {
      const rule = candidate?.rules?.find((r) => r?.id === ruleId) ?? candidate?.rules?.find((r) => r?.id === baseId);
      if (rule) return rule;
    }
  }
  return undefined;
}

/** Fills `{0}`-style placeholders (SARIF §3.11.5); `{{` and `}}` are literal braces. */
function formatMessageTemplate(template: string, args: ReadonlyArray<string>): string {
  return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (token, index: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    return args[Number(index)] ?? token;
  });
}

function messageText(
  run: SarifRun,
  rule: SarifRule | undefined,
  message: SarifMessage | undefined,
  markdown: boolean,
): string | undefined {
  if (message === undefined) return undefined;
  const args = (message.arguments ?? []).map((arg) => arg ?? '');
  const direct = markdown ? (message.markdown ?? message.text) : message.text;
  if (direct !== undefined) return formatMessageTemplate(direct, args);
  if (message.id !== undefined) {
    const template = rule?.messageStrings?.[message.id] ?? run.tool.driver.globalMessageStrings?.[message.id];
    const text = markdown ? (template?.markdown ?? template?.text) : template?.text;
    if (text !== undefined) return formatMessageTemplate(text, args);
  }
  return undefined;
}

/** The result's message, else (SARIF §3.49) its rule's short, then full description. */
function resultMessage(
  run: SarifRun,
  rule: SarifRule | undefined,
  result: SarifResult,
  markdown: boolean,
): string | undefined {
  const own = messageText(run, rule, result.message, markdown);
  if (own !== undefined && own.trim() !== '') return own;
  for (const description of [rule?.shortDescription, rule?.fullDescription]) {
    const text = markdown ? (description?.markdown ?? description?.text) : description?.text;
    if (text !== undefined && text.trim() !== '') return text;
  }
  return own;
}

function readScore(properties: Record<string, unknown> | undefined): number | undefined {
  const raw = properties?.['security-severity'];
  const score = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(score) && score >= 0 && score <= 10 ? score : undefined;
}

function effectiveLevel(result: SarifResult, rule: SarifRule | undefined): SarifLevel {
  if (result.level) return result.level;
  if (result.kind !== undefined && result.kind !== 'fail') return 'none';
  return rule?.defaultConfiguration?.level ?? 'warning';
}

const CWE_TEXT = /\bCWE[-_:/ ]?0*(\d{1,6})\b/gi;
const CVE_TEXT = /\bCVE-\d{4}-\d{4,19}\b/gi;
const MAX_IDS = 20;

function collectIds(
  texts: ReadonlyArray<string | undefined>,
  pattern: RegExp,
  normalise: (m: RegExpExecArray) => string,
): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    if (text === undefined) continue;
    for (const match of text.matchAll(pattern)) {
      found.add(normalise(match));
      if (found.size >= MAX_IDS) return [...found];
    }
  }
  return [...found];
}

/** Tag-like and explicitly named (`cwe`, `cve`) property values of a property bag. */
function taggedTexts(properties: Record<string, unknown> | undefined): string[] {
  if (!properties) return [];
  const texts: string[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (key !== 'tags' && !/^(cwe|cve)s?$/i.test(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) if (typeof item === 'string') texts.push(item);
  }
  return texts;
}

function fileFromUri(uri: string): string {
  if (!/^file:/i.test(uri)) return safeDecode(uri);
  try {
    const path = safeDecode(new URL(uri).pathname).replace(/^\/{2,}/, '/');
    return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
  } catch {
    return uri;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function oneLine(value: string, max: number): string {
  return toOneLine(value, max);
}

function markdownBlock(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const clean = stripUnsafeCharacters(value, true).trim();
  return clean === '' ? undefined : truncateText(clean, max);
}

export function describeResult(
  run: SarifRun,
  result: SarifResult,
  ordinal: number,
  asset: SarifAsset | undefined,
  updatedAt: string | undefined,
): SarifCandidate | undefined {
  const rule = resolveRule(run, result);
  const tool = run.tool.driver.name;
  const ruleId = result.ruleId ?? result.rule?.id ?? rule?.id;
  const primary = result.primary;
  const artifact = primary?.physicalLocation?.artifactLocation;
  const artifactIndex = artifact?.index;
  const uri =
    artifact?.uri ?? (artifactIndex !== undefined ? run.artifacts?.[artifactIndex]?.location?.uri : undefined);
  const region = primary?.physicalLocation?.region;
  const logical = primary?.logicalLocations?.[0];
  const logicalName = logical?.fullyQualifiedName ?? logical?.name;

  const text = resultMessage(run, rule, result, false) ?? '';
  const markdown = resultMessage(run, rule, result, true);
  // Nothing says what this result is: no message, no rule text, no rule id.
  if (text.trim() === '' && !rule?.name?.trim() && !ruleId?.trim()) return undefined;
  const score = readScore(result.properties) ?? readScore(rule?.properties);
  const level = effectiveLevel(result, rule);
  const severity = score !== undefined ? severityFromScore(score) : LEVEL_SEVERITY[level];
  const status: FindingStatus = result.baselineState === 'absent' ? 'resolved' : 'open';

  const title = oneLine(
    rule?.shortDescription?.text ?? (text || rule?.name || ruleId || `${tool} result`),
    FINDING_LIMITS.title,
  );
  const ruleDescription = rule?.fullDescription?.markdown ?? rule?.fullDescription?.text;
  const help = rule?.help?.markdown ?? rule?.help?.text;
  const descriptionParts = [
    markdown,
    ruleDescription !== markdown && ruleDescription !== title ? ruleDescription : undefined,
    help,
  ];
  const description = markdownBlock(
    descriptionParts.filter((part): part is string => part !== undefined && part.trim() !== '').join('\n\n'),
    FINDING_LIMITS.description,
  );
  const fixes = (result.fixes ?? [])
    .map((fix) => (fix?.description ? messageText(run, rule, fix.description, true) : undefined))
    .filter((fix): fix is string => fix !== undefined && fix.trim() !== '');
  const remediation = markdownBlock(fixes.join('\n\n'), FINDING_LIMITS.remediation);

  const searchable = [
    ruleId,
    rule?.name,
    rule?.shortDescription?.text,
    text,
    ...taggedTexts(rule?.properties),
    ...taggedTexts(result.properties),
  ];
  const cwe = collectIds(searchable, CWE_TEXT, (m) => `CWE-${m[1]}`);
  const cve = collectIds(searchable, CVE_TEXT, (m) => m[0].toUpperCase());

  const file = uri !== undefined ? oneLine(fileFromUri(uri), FINDING_LIMITS.file) : undefined;
  const line = region?.startLine !== undefined && region.startLine >= 1 ? region.startLine : undefined;
  const locationUrl = uri !== undefined && isSafeWebUrl(uri) ? uri : undefined;
  const location =
    file || locationUrl
      ? {
          ...(file ? { file } : {}),
          ...(line !== undefined ? { line } : {}),
          ...(locationUrl ? { url: locationUrl } : {}),
        }
      : undefined;

  const attributes: Record<string, string | number> = { level };
  const ruleAttribute = ruleId !== undefined ? oneLine(ruleId, FINDING_LIMITS.attributeValue) : '';
  if (ruleAttribute) attributes.ruleId = ruleAttribute;
  if (score !== undefined) attributes.securitySeverity = score;
  const toolVersion = run.tool.driver.semanticVersion ?? run.tool.driver.version;
  const versionAttribute = toolVersion !== undefined ? oneLine(toolVersion, FINDING_LIMITS.attributeValue) : '';
  if (versionAttribute) attributes.toolVersion = versionAttribute;

  const references = rule?.helpUri !== undefined && isSafeWebUrl(rule.helpUri.trim()) ? [rule.helpUri.trim()] : [];

  const draft: Record<string, unknown> = {
    title: title || `${tool} result`,
    severity,
    status,
    scanner: oneLine(tool, FINDING_LIMITS.scanner),
    cve,
    cwe,
    references,
    attributes,
    ...(description ? { description } : {}),
    ...(remediation ? { remediation } : {}),
    ...(location ? { location } : {}),
    ...(asset
      ? {
          asset: {
            id: oneLine(asset.id, FINDING_LIMITS.name),
            name: oneLine(asset.name ?? asset.id, FINDING_LIMITS.name),
          },
        }
      : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };

  const place = {
    rule: ruleId ?? null,
    uri: uri ?? null,
    line: region?.startLine ?? null,
    column: region?.startColumn ?? null,
    logical: logicalName ?? null,
  };
  return {
    ordinal,
    key: identityKey(tool, asset?.id, ruleId, result, uri, region, logicalName),
    place,
    message: text,
    draft,
  };
}
