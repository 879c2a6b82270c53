import { z } from 'zod';
import { FINDING_LIMITS, parseFindingList, type Finding, type RejectedFinding } from './finding';
import { assignUniqueIds } from './sarif-identity';
import { describeResult, type SarifAsset, type SarifCandidate } from './sarif-result';
import { SarifLogSchema, type SarifLog, type SarifResult, type SarifRun } from './sarif-schema';
import { lineText } from './text';
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

/** Converts a validated SARIF log to findings (see the module comment for the rules). */
export function convertSarifToFindings(log: SarifLog, options: SarifConversionOptions = {}): SarifConversion {
  const runs = log.runs ?? [];
  const stats: SarifStats = { runs: runs.length, results: 0, findings: 0, suppressed: 0, notFailing: 0, rejected: 0 };
  const candidates: SarifCandidate[] = [];
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
