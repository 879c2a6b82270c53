import { z } from 'zod';
import { FINDING_LIMITS, parseFindingList, type Finding, type FindingStatus, type RejectedFinding } from './finding';
import { sha256Hex, canonicalJson } from './hash';
import { severityFromScore, type Severity } from './severity';
import { isSafeWebUrl, lineText, stripUnsafeCharacters, truncateText } from './text';
import { toValidationIssues, type ValidationIssue } from './validation';

/**
 * SARIF 2.1.0 → findings, the same principled way for every tool (no per-tool cases):
 *
 * - Every run and every result. Results of kind `pass` / `notApplicable` are not findings (counted).
 * - Suppressed results are skipped and counted: a result is suppressed when it has a non-empty
 *   `suppressions` array whose entries all have status `accepted` or no status (an entry that is
 *   `underReview` or `rejected` keeps the result visible), as SARIF §3.27.23 and GitHub do.
 * - Severity: `properties["security-severity"]` (a CVSS-like 0–10 score) of the result, else of its
 *   rule: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low, 0 info. Without a score, the effective level
 *   (result `level`, else rule `defaultConfiguration.level`, else SARIF's default `warning`; `none`
 *   for non-`fail` kinds) maps error → high, warning → medium, note → low, none → info. `error` is
 *   not `critical` because SARIF levels describe the tool's confidence/importance, not exploitability;
 *   critical is reserved for an explicit score.
 * - Stable id, in order of preference: `fingerprints` (complete by definition); `partialFingerprints`
 *   combined with the rule id and artifact URI (they are *partial*: CodeQL's line hash repeats across
 *   files); `correlationGuid`; `guid`; else a hash of rule id + primary location (URI, start line and
 *   column, logical location). Every id also covers the tool name and the asset, so the same file in
 *   two repositories gives two findings. Only when two results of one log still collide is the message
 *   added, and only if they still collide an occurrence number (order in the log): ids stay stable
 *   across re-posts of the same log and unique within it.
 * - Code snippets are never copied into findings (secret scanners put the secret there).
 */

const SARIF_VERSION = '2.1.0';
export const SARIF_LIMITS = { runs: 100, results: 10_000, rules: 20_000 } as const;

const MessageSchema = z.object({
  text: z.string().optional(),
  markdown: z.string().optional(),
  id: z.string().optional(),
  arguments: z.array(z.string()).optional(),
});

const MultiformatMessageSchema = z.object({ text: z.string().optional(), markdown: z.string().optional() });

const PropertyBagSchema = z.looseObject({ tags: z.array(z.string()).optional() });

const ReportingDescriptorSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  shortDescription: MultiformatMessageSchema.optional(),
  fullDescription: MultiformatMessageSchema.optional(),
  help: MultiformatMessageSchema.optional(),
  helpUri: z.string().optional(),
  messageStrings: z.record(z.string(), MultiformatMessageSchema).optional(),
  defaultConfiguration: z
    .object({ level: z.enum(['none', 'note', 'warning', 'error']).optional(), enabled: z.boolean().optional() })
    .optional(),
  properties: PropertyBagSchema.optional(),
});

const ToolComponentSchema = z.object({
  name: z.string({ error: 'Required: the tool component name' }).min(1),
  version: z.string().optional(),
  semanticVersion: z.string().optional(),
  rules: z.array(ReportingDescriptorSchema).max(SARIF_LIMITS.rules).optional(),
  globalMessageStrings: z.record(z.string(), MultiformatMessageSchema).optional(),
});

const ArtifactLocationSchema = z.object({
  uri: z.string().optional(),
  uriBaseId: z.string().optional(),
  index: z.number().int().optional(),
});

const LocationSchema = z.object({
  physicalLocation: z
    .object({
      artifactLocation: ArtifactLocationSchema.optional(),
      region: z.object({ startLine: z.number().int().optional(), startColumn: z.number().int().optional() }).optional(),
    })
    .optional(),
  logicalLocations: z
    .array(z.object({ fullyQualifiedName: z.string().optional(), name: z.string().optional() }))
    .optional(),
});

const ResultSchema = z.object({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().optional(),
  rule: z
    .object({
      id: z.string().optional(),
      index: z.number().int().optional(),
      toolComponent: z.object({ index: z.number().int().optional(), name: z.string().optional() }).optional(),
    })
    .optional(),
  kind: z.enum(['notApplicable', 'pass', 'fail', 'review', 'open', 'informational']).optional(),
  level: z.enum(['none', 'note', 'warning', 'error']).optional(),
  message: MessageSchema,
  locations: z.array(LocationSchema).optional(),
  guid: z.string().optional(),
  correlationGuid: z.string().optional(),
  fingerprints: z.record(z.string(), z.string()).optional(),
  partialFingerprints: z.record(z.string(), z.string()).optional(),
  suppressions: z
    .array(
      z.object({ kind: z.string().optional(), status: z.enum(['accepted', 'underReview', 'rejected']).optional() }),
    )
    .optional(),
  // Only `absent` matters here; drafts of the spec used other values (appendix K says "existing").
  baselineState: z.string().optional(),
  fixes: z.array(z.object({ description: MessageSchema.optional() })).optional(),
  properties: PropertyBagSchema.optional(),
});

const RunSchema = z.object({
  tool: z.object({
    driver: ToolComponentSchema,
    extensions: z.array(ToolComponentSchema).optional(),
  }),
  results: z.array(ResultSchema).max(SARIF_LIMITS.results).nullable().optional(),
  artifacts: z.array(z.object({ location: ArtifactLocationSchema.optional() })).optional(),
  versionControlProvenance: z.array(z.object({ repositoryUri: z.string() })).optional(),
  invocations: z.array(z.object({ startTimeUtc: z.string().optional(), endTimeUtc: z.string().optional() })).optional(),
});

/** The parts of a SARIF 2.1.0 log this app reads (other properties are allowed and ignored). */
export const SarifLogSchema = z
  .object({
    version: z.literal(SARIF_VERSION, {
      error: (issue) => `Unsupported SARIF version ${JSON.stringify(issue.input)}: expected "2.1.0"`,
    }),
    runs: z.array(RunSchema).max(SARIF_LIMITS.runs, `Must have at most ${SARIF_LIMITS.runs} runs`).nullable(),
  })
  .superRefine((log, ctx) => {
    const total = (log.runs ?? []).reduce((sum, run) => sum + (run.results?.length ?? 0), 0);
    if (total > SARIF_LIMITS.results) {
      ctx.addIssue({
        code: 'custom',
        path: ['runs'],
        message: `Must have at most ${SARIF_LIMITS.results} results in all runs`,
      });
    }
  });

export type SarifLog = z.output<typeof SarifLogSchema>;
type SarifRun = z.output<typeof RunSchema>;
type SarifResult = z.output<typeof ResultSchema>;
type SarifRule = z.output<typeof ReportingDescriptorSchema>;
type SarifLevel = 'none' | 'note' | 'warning' | 'error';

export type SarifAsset = { id: string; name?: string };
export type SarifConversionOptions = {
  /** The `?asset=` of the request: wins over the run's `versionControlProvenance`. */
  asset?: SarifAsset;
};

export type SarifStats = {
  runs: number;
  /** Every result in the log. */
  results: number;
  /** Results that became valid findings. */
  findings: number;
  /** Results skipped because they are suppressed. */
  suppressed: number;
  /** Results of kind `pass` or `notApplicable` (not findings). */
  notFailing: number;
  /** Results that could not become a valid finding. */
  rejected: number;
};

export type SarifConversion = {
  findings: Finding[];
  /** `index` is the result's position counted over all runs of the log. */
  rejected: RejectedFinding[];
  stats: SarifStats;
};

export type SarifParseResult = ({ ok: true } & SarifConversion) | { ok: false; errors: ValidationIssue[] };

const LEVEL_SEVERITY: Readonly<Record<SarifLevel, Severity>> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: 'info',
};

const AssetOptionSchema = z.object({
  id: lineText(FINDING_LIMITS.name),
  name: lineText(FINDING_LIMITS.name).optional(),
});

/** Validates and converts an untrusted, JSON-decoded SARIF log. */
export function parseSarifFindings(input: unknown, options: SarifConversionOptions = {}): SarifParseResult {
  if (options.asset !== undefined) {
    const asset = AssetOptionSchema.safeParse(options.asset);
    if (!asset.success) return { ok: false, errors: toValidationIssues(asset.error, ['asset']) };
  }
  const log = SarifLogSchema.safeParse(input);
  if (!log.success) return { ok: false, errors: toValidationIssues(log.error) };
  return { ok: true, ...convertSarifToFindings(log.data, options) };
}

type Candidate = {
  ordinal: number;
  key: Record<string, unknown>;
  message: string;
  draft: Record<string, unknown>;
};

/** Converts a validated SARIF log to findings (see the module comment for the rules). */
export function convertSarifToFindings(log: SarifLog, options: SarifConversionOptions = {}): SarifConversion {
  const runs = log.runs ?? [];
  const stats: SarifStats = { runs: runs.length, results: 0, findings: 0, suppressed: 0, notFailing: 0, rejected: 0 };
  const candidates: Candidate[] = [];
  for (const run of runs) {
    const asset = options.asset ?? assetFromProvenance(run);
    const updatedAt = runTimestamp(run);
    for (const result of run.results ?? []) {
      const ordinal = stats.results;
      stats.results += 1;
      if (result.kind === 'pass' || result.kind === 'notApplicable') {
        stats.notFailing += 1;
        continue;
      }
      if (isSuppressed(result)) {
        stats.suppressed += 1;
        continue;
      }
      candidates.push(describeResult(run, result, ordinal, asset, updatedAt));
    }
  }
  const ids = assignUniqueIds(candidates);
  const drafts = candidates.map((candidate, position) => ({ ...candidate.draft, id: ids[position] }));
  const parsed = parseFindingList(drafts);
  const rejected = parsed.rejected.map((entry) => ({
    ...entry,
    index: candidates[entry.index]?.ordinal ?? entry.index,
  }));
  stats.findings = parsed.accepted.length;
  stats.rejected = rejected.length;
  return { findings: parsed.accepted, rejected, stats };
}

function isSuppressed(result: SarifResult): boolean {
  const suppressions = result.suppressions ?? [];
  return suppressions.length > 0 && suppressions.every((s) => s.status === undefined || s.status === 'accepted');
}

function assetFromProvenance(run: SarifRun): SarifAsset | undefined {
  const uri = run.versionControlProvenance?.[0]?.repositoryUri?.trim();
  if (!uri) return undefined;
  const id = uri.replace(/\/+$/, '');
  let name = id;
  try {
    const path = new URL(id).pathname.replace(/\.git$/, '').replace(/^\/+/, '');
    if (path) name = path;
  } catch {
    // not a URL: the id is the best name we have
  }
  return { id, name };
}

function runTimestamp(run: SarifRun): string | undefined {
  const invocation = run.invocations?.[0];
  const raw = invocation?.endTimeUtc ?? invocation?.startTimeUtc;
  if (raw === undefined) return undefined;
  const millis = Date.parse(raw);
  return Number.isNaN(millis) ? undefined : new Date(millis).toISOString();
}

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
      const rule = candidate.rules?.find((r) => r.id === ruleId) ?? candidate.rules?.find((r) => r.id === baseId);
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
  message: SarifResult['message'],
  markdown: boolean,
): string | undefined {
  const args = message.arguments ?? [];
  const direct = markdown ? (message.markdown ?? message.text) : message.text;
  if (direct !== undefined) return formatMessageTemplate(direct, args);
  if (message.id !== undefined) {
    const template = rule?.messageStrings?.[message.id] ?? run.tool.driver.globalMessageStrings?.[message.id];
    const text = markdown ? (template?.markdown ?? template?.text) : template?.text;
    if (text !== undefined) return formatMessageTemplate(text, args);
  }
  return undefined;
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
      found.add(normalise(match as RegExpExecArray));
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
  return truncateText(stripUnsafeCharacters(value, false).replace(/\s+/g, ' ').trim(), max);
}

function markdownBlock(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const clean = stripUnsafeCharacters(value, true).trim();
  return clean === '' ? undefined : truncateText(clean, max);
}

function sortedEntries(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function describeResult(
  run: SarifRun,
  result: SarifResult,
  ordinal: number,
  asset: SarifAsset | undefined,
  updatedAt: string | undefined,
): Candidate {
  const rule = resolveRule(run, result);
  const tool = run.tool.driver.name;
  const ruleId = result.ruleId ?? result.rule?.id ?? rule?.id;
  const primary = result.locations?.find((l) => l.physicalLocation !== undefined) ?? result.locations?.[0];
  const artifact = primary?.physicalLocation?.artifactLocation;
  const artifactIndex = artifact?.index;
  const uri =
    artifact?.uri ?? (artifactIndex !== undefined ? run.artifacts?.[artifactIndex]?.location?.uri : undefined);
  const region = primary?.physicalLocation?.region;
  const logical = primary?.logicalLocations?.[0];
  const logicalName = logical?.fullyQualifiedName ?? logical?.name;

  const text = messageText(run, rule, result.message, false) ?? '';
  const markdown = messageText(run, rule, result.message, true);
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
    .map((fix) => (fix.description ? messageText(run, rule, fix.description, true) : undefined))
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
  if (ruleId) attributes.ruleId = oneLine(ruleId, FINDING_LIMITS.attributeValue);
  if (score !== undefined) attributes.securitySeverity = score;
  const toolVersion = run.tool.driver.semanticVersion ?? run.tool.driver.version;
  if (toolVersion) attributes.toolVersion = oneLine(toolVersion, FINDING_LIMITS.attributeValue);

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

  return { ordinal, key: identityKey(tool, asset?.id, ruleId, result, uri, region, logicalName), message: text, draft };
}

function identityKey(
  tool: string,
  assetId: string | undefined,
  ruleId: string | undefined,
  result: SarifResult,
  uri: string | undefined,
  region: { startLine?: number; startColumn?: number } | undefined,
  logicalName: string | undefined,
): Record<string, unknown> {
  const base = { tool, asset: assetId ?? null };
  if (result.fingerprints && Object.keys(result.fingerprints).length > 0) {
    return { ...base, by: 'fingerprints', fingerprints: sortedEntries(result.fingerprints) };
  }
  if (result.partialFingerprints && Object.keys(result.partialFingerprints).length > 0) {
    return {
      ...base,
      by: 'partialFingerprints',
      rule: ruleId ?? null,
      uri: uri ?? null,
      partial: sortedEntries(result.partialFingerprints),
    };
  }
  if (result.correlationGuid) return { ...base, by: 'correlationGuid', guid: result.correlationGuid.toLowerCase() };
  if (result.guid) return { ...base, by: 'guid', guid: result.guid.toLowerCase() };
  return {
    ...base,
    by: 'location',
    rule: ruleId ?? null,
    uri: uri ?? null,
    line: region?.startLine ?? null,
    column: region?.startColumn ?? null,
    logical: logicalName ?? null,
  };
}

/** Hashes each candidate's identity; adds the message, then an occurrence number, only where ids collide. */
function assignUniqueIds(candidates: ReadonlyArray<Candidate>): string[] {
  const baseKeys = candidates.map((c) => canonicalJson(c.key));
  const baseCounts = countBy(baseKeys);
  const withMessage = candidates.map((c, i) => {
    const base = baseKeys[i]!;
    return (baseCounts.get(base) ?? 0) > 1 ? canonicalJson({ ...c.key, message: c.message }) : base;
  });
  const finalCounts = countBy(withMessage);
  const seen = new Map<string, number>();
  return withMessage.map((key) => {
    let identity = key;
    if ((finalCounts.get(key) ?? 0) > 1) {
      const occurrence = (seen.get(key) ?? 0) + 1;
      seen.set(key, occurrence);
      identity = `${key}#${occurrence}`;
    }
    return `sarif:${sha256Hex(identity).slice(0, 32)}`;
  });
}

function countBy(keys: ReadonlyArray<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
