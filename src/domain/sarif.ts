import { z } from 'zod';
import { FINDING_LIMITS, parseFindingList, type Finding, type RejectedFinding } from './finding';
import { assignUniqueIds, findRepeats } from './sarif-identity';
import { describeResult, type SarifAsset, type SarifCandidate } from './sarif-result';
import {
  readSarifResult,
  SARIF_KINDS,
  SarifLogSchema,
  type SarifKind,
  type SarifLog,
  type SarifResult,
  type SarifRun,
} from './sarif-schema';
import { lineText, stripUnsafeCharacters } from './text';
import { formatIssuePath, toValidationIssues, type ValidationIssue } from './validation';

/**
 * SARIF 2.1.0 → findings, the same principled way for every tool (no per-tool cases):
 *
 * - Every run and every result, each result read on its own (domain/sarif-schema.ts): one that lacks
 *   what the app needs is rejected alone, with its JSON path; odd optional parts are ignored.
 * - Kind (§3.27.9): `pass`, `notApplicable` and `informational` are not failures: counted, not
 *   findings. `open` and `review` (the tool could not decide, or asks a person to look) are findings.
 * - Message: the result's own (text, markdown, or a `messageStrings` template with arguments), else
 *   its rule's short, then full description (§3.49). A result nothing describes is rejected.
 * - Exact repeats in one log (same identity, rule, location and message) are one finding, counted
 *   as duplicates.
 * - Suppressed results are skipped and counted: a result is suppressed when it has a non-empty
 *   `suppressions` array whose entries all have status `accepted` or no status (an entry that is
 *   `underReview` or `rejected` keeps the result visible), as SARIF §3.27.23 and GitHub do.
 * - Severity: `properties["security-severity"]` (a CVSS-like 0–10 score) of the result, else of its
 *   rule: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low, 0 info. Without a score, the effective level
 *   (result `level`, else rule `defaultConfiguration.level`, else SARIF's default `warning`; `none`
 *   for non-`fail` kinds) maps error → high, warning → medium, note → low, none → info. `error` is
 *   not `critical` because SARIF levels describe the tool's confidence/importance, not exploitability;
 *   critical is reserved for an explicit score.
 * - Stable ids from fingerprints, GUIDs or the location, unique within a log (domain/sarif-identity.ts).
 * - Code snippets are never copied into findings (secret scanners put the secret there).
 *
 * Modules: sarif-schema.ts (what is read), sarif-result.ts (one result → a draft), sarif-identity.ts.
 */

export { SARIF_LIMITS, SarifLogSchema, type SarifLog } from './sarif-schema';
export type { SarifAsset };

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
  /** Results of kind `pass`, `notApplicable` or `informational` (not findings). */
  notFailing: number;
  /** Readable results by `kind` (none given = `fail`). */
  kinds: Record<SarifKind, number>;
  /** Results repeating an earlier result of the log exactly (same identity, rule, location, message). */
  duplicates: number;
  /** Results that could not become a valid finding (each listed in `rejected`). */
  rejected: number;
};

export type SarifConversion = {
  findings: Finding[];
  /** `index` is the result's position counted over all runs of the log; `path` is where it is. */
  rejected: RejectedFinding[];
  stats: SarifStats;
  /** Each run's tool, asset and `automationDetails.id`, as its findings got them (a complete scan's scopes). */
  runs: Array<{ tool: string; asset: string | undefined; automationId: string | undefined }>;
};

export type SarifParseResult = ({ ok: true } & SarifConversion) | { ok: false; errors: ValidationIssue[] };

const AssetOptionSchema = z.object({
  id: lineText(FINDING_LIMITS.name),
  name: lineText(FINDING_LIMITS.name).optional(),
});

/** Kinds that say the result is not a problem (§3.27.9); `open` and `review` ask a person, so they are findings. */
const NOT_FAILING: ReadonlySet<SarifKind> = new Set(['pass', 'notApplicable', 'informational']);

const NOTHING_DESCRIBES =
  'Required: a message (text, or an id found in messageStrings), or a rule id or rule that describes the result';

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

function emptyStats(runs: number): SarifStats {
  const kinds = Object.fromEntries(SARIF_KINDS.map((kind) => [kind, 0])) as Record<SarifKind, number>;
  return { runs, results: 0, findings: 0, suppressed: 0, notFailing: 0, kinds, duplicates: 0, rejected: 0 };
}

/** Converts a read SARIF log to findings, each result on its own (see the module comment for the rules). */
export function convertSarifToFindings(log: SarifLog, options: SarifConversionOptions = {}): SarifConversion {
  const runs = log.runs ?? [];
  const stats = emptyStats(runs.length);
  const candidates: SarifCandidate[] = [];
  const rejected: RejectedFinding[] = [];
  const paths = new Map<number, string>();
  const runParts: SarifConversion['runs'] = [];
  runs.forEach((run, runIndex) => {
    const asset = options.asset ?? assetFromProvenance(run);
    runParts.push({ tool: run.tool.driver.name, asset: asset?.id, automationId: run.automationDetails?.id });
    const updatedAt = runTimestamp(run);
    (run.results ?? []).forEach((raw, resultIndex) => {
      const ordinal = stats.results;
      stats.results += 1;
      const where: PropertyKey[] = ['runs', runIndex, 'results', resultIndex];
      const path = formatIssuePath(where);
      paths.set(ordinal, path);
      const read = readSarifResult(raw);
      if (!read.ok) {
        const errors = read.issues.map((i) => ({ path: formatIssuePath([...where, ...i.path]), message: i.message }));
        rejected.push({ index: ordinal, path, errors });
        return;
      }
      const result = read.result;
      const kind = result.kind ?? 'fail';
      stats.kinds[kind] += 1;
      if (NOT_FAILING.has(kind)) {
        stats.notFailing += 1;
        return;
      }
      if (isSuppressed(result)) {
        stats.suppressed += 1;
        return;
      }
      const candidate = describeResult(run, result, ordinal, asset, updatedAt);
      if (candidate) candidates.push(candidate);
      else rejected.push({ index: ordinal, path, errors: [{ path: `${path}.message`, message: NOTHING_DESCRIBES }] });
    });
  });
  const repeats = findRepeats(candidates);
  const distinct = candidates.filter((_, position) => repeats[position] === undefined);
  stats.duplicates = candidates.length - distinct.length;
  const ids = assignUniqueIds(distinct);
  const parsed = parseFindingList(distinct.map((candidate, position) => ({ ...candidate.draft, id: ids[position] })));
  for (const entry of parsed.rejected) {
    const ordinal = distinct[entry.index]!.ordinal;
    const path = paths.get(ordinal)!;
    rejected.push({
      index: ordinal,
      ...(entry.id !== undefined ? { id: entry.id } : {}),
      path,
      errors: entry.errors.map((e) => ({
        path,
        message: `The finding made of it is invalid at "${e.path}": ${e.message}`,
      })),
    });
  }
  rejected.sort((a, b) => a.index - b.index);
  stats.findings = parsed.accepted.length;
  stats.rejected = rejected.length;
  return { findings: parsed.accepted, rejected, stats, runs: runParts };
}

function isSuppressed(result: SarifResult): boolean {
  const suppressions = result.suppressions ?? [];
  return (
    suppressions.length > 0 &&
    suppressions.every((s) => s !== undefined && (s.status === undefined || s.status === 'accepted'))
  );
}

function assetFromProvenance(run: SarifRun): SarifAsset | undefined {
  // Cleaned as the finding's asset will be: a URI of only blanks or control characters names nothing.
  const uri = stripUnsafeCharacters(run.versionControlProvenance?.[0]?.repositoryUri ?? '', false).trim();
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
  if (Number.isNaN(millis)) return undefined;
  const iso = new Date(millis).toISOString();
  // Years past 9999 or before 0 are written "+275760-…" / "-000001-…": not an ISO 8601 date-time a platform reads.
  return /^\d{4}-/.test(iso) ? iso : undefined;
}
