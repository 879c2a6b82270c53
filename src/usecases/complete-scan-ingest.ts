import { z } from 'zod';
import type { Finding, RejectedFinding } from '../domain/finding';
import type { SarifConversion } from '../domain/sarif';
import { computeFindingKey } from '../domain/finding-state';
import {
  computeScopeId,
  describeScope,
  fitFindingToScope,
  packFindingKeys,
  sarifRunScope,
  scopeOfFinding,
  ScopeDeclarationSchema,
  type ScanScope,
} from '../domain/scan-scope';
import { toValidationIssues, type ValidationIssue } from '../domain/validation';
import type { ScanRecord } from './scan-ports';

/**
 * The ingest side of complete scans: reads the declaration (JSON: `"complete": true` and `"scope"`
 * in the batch; SARIF: `?complete=true`, every run of the log a scope of its own), gives every
 * accepted finding its scope id (the sync consumer keeps the scope index with it), and builds the
 * scan records that the closing job (`close-missing-findings.ts`) applies.
 */

export type CompleteDeclaration =
  | { ok: true; complete: false }
  | { ok: true; complete: true; scope?: { asset: string; source: string } }
  | { ok: false; code: 'INVALID_BODY' | 'INVALID_QUERY'; message: string; details?: ValidationIssue[] };

const JsonDeclarationSchema = z.object({
  complete: z.boolean({ message: 'Must be true or false' }).optional(),
  scope: z.unknown().optional(),
});

/** What the post says about its completeness; a bad declaration refuses the whole post (nothing is stored). */
export function readCompleteDeclaration(
  kind: 'json' | 'sarif',
  value: unknown,
  completeQuery: string | undefined,
): CompleteDeclaration {
  if (kind === 'sarif') {
    if (completeQuery === undefined || completeQuery === 'false') return { ok: true, complete: false };
    if (completeQuery === 'true') return { ok: true, complete: true };
    return { ok: false, code: 'INVALID_QUERY', message: 'The "complete" query parameter must be true or false' };
  }
  if (completeQuery !== undefined)
    return {
      ok: false,
      code: 'INVALID_QUERY',
      message: 'A JSON batch declares itself complete in its body: {"complete": true, "scope": {"asset", "source"}}',
    };
  const raw = JsonDeclarationSchema.safeParse(value);
  if (!raw.success)
    return {
      ok: false,
      code: 'INVALID_BODY',
      message: 'Invalid complete-scan declaration',
      details: issues(raw.error),
    };
  if (raw.data.complete !== true) return { ok: true, complete: false };
  if (typeof value !== 'object' || value === null || !('findings' in value))
    return {
      ok: false,
      code: 'INVALID_BODY',
      message: 'Only a batch {source, findings, scope, complete} can be complete',
    };
  const declared = ScopeDeclarationSchema.safeParse(value);
  if (!declared.success)
    return { ok: false, code: 'INVALID_BODY', message: 'Invalid complete-scan scope', details: issues(declared.error) };
  return { ok: true, complete: true, scope: declared.data.scope };
}

function issues(error: z.ZodError): ValidationIssue[] {
  return toValidationIssues(error);
}

/** The declaration and the scopes of a parsed post; `error` refuses the post (nothing is stored). */
export function scopePost(
  kind: 'json' | 'sarif',
  value: unknown,
  query: Record<string, string[]>,
  parsed: {
    source: string;
    accepted: ReadonlyArray<Finding>;
    rejected: ReadonlyArray<RejectedFinding>;
    sarifRuns?: ReadonlyArray<SarifRunParts>;
    batchId: string;
    receivedAt: Date;
  },
): ScopedFindings | { error: Extract<CompleteDeclaration, { ok: false }> } {
  const declaration = readCompleteDeclaration(kind, value, query['complete']?.[0]);
  if (!declaration.ok) return { error: declaration };
  return scopeFindings({
    kind,
    source: parsed.source,
    value,
    sarifRuns: parsed.sarifRuns ?? [],
    declaration,
    accepted: parsed.accepted,
    rejected: parsed.rejected,
    scanIdPrefix: parsed.batchId,
    receivedAt: parsed.receivedAt,
  });
}

type SarifRunParts = SarifConversion['runs'][number];

export type ScopedFindings = {
  accepted: Array<{ finding: Finding; scope: string }>;
  rejected: RejectedFinding[];
  scans: ScanRecord[];
  /** Why a post that declared itself complete closes nothing (the receipt says it). */
  completeNotApplied?: string;
};

/**
 * Gives each finding its scope id; for a complete post, fits the findings to the declared scope
 * (JSON) and builds one scan record per scope. `rawFindings` (JSON batches) locates a refused
 * finding's index. Rejected findings that have an id count as reported: a complete scan never
 * closes a finding because one of its results was malformed.
 */
export function scopeFindings(input: {
  kind: 'json' | 'sarif';
  source: string;
  value: unknown;
  /** A SARIF log's runs as the reader saw them: each run's scope is cleaned as its findings were. */
  sarifRuns: ReadonlyArray<SarifRunParts>;
  declaration: Extract<CompleteDeclaration, { ok: true }>;
  accepted: ReadonlyArray<Finding>;
  rejected: ReadonlyArray<RejectedFinding>;
  scanIdPrefix: string;
  receivedAt: Date;
}): ScopedFindings {
  const { source, declaration } = input;
  const runScopes = input.kind === 'sarif' ? input.sarifRuns.map((run) => sarifRunScope(source, run)) : [];
  const categoryOf = (finding: Finding) =>
    runScopes.find((s) => s.tool === finding.scanner && s.asset === (finding.asset?.id ?? ''))?.category ??
    runScopes.find((s) => s.tool === finding.scanner)?.category ??
    '';
  const rejected = [...input.rejected];
  const accepted: Array<{ finding: Finding; scope: string }> = [];
  const rawFindings = (input.value as { findings?: unknown }).findings;
  for (const original of input.accepted) {
    let finding = original;
    if (declaration.complete && declaration.scope) {
      const fitted = fitFindingToScope(finding, declaration.scope);
      if (!fitted.ok) {
        const index = Array.isArray(rawFindings)
          ? rawFindings.findIndex((raw) => (raw as { id?: unknown } | null)?.id === finding.id)
          : -1;
        rejected.push({ index, id: finding.id, errors: [{ path: fitted.path, message: fitted.message }] });
        continue;
      }
      finding = fitted.finding;
    }
    accepted.push({ finding, scope: computeScopeId(scopeOfFinding(source, finding, categoryOf(finding))) });
  }

  if (!declaration.complete) return { accepted, rejected, scans: [] };
  // A rejected result without an id (a malformed SARIF result) may be a finding that is still there:
  // closing "what the post does not contain" would close it. Such a post closes nothing.
  const unidentified = rejected.filter((r) => r.id === undefined).length;
  if (unidentified > 0) {
    return {
      accepted,
      rejected,
      scans: [],
      completeNotApplied:
        `${unidentified} rejected result(s) have no id, so the app cannot tell which findings they are: ` +
        'this post was stored but not applied as a complete scan (nothing is closed)',
    };
  }
  const scopes: ScanScope[] = declaration.scope
    ? [{ source, asset: declaration.scope.asset, tool: declaration.scope.source, category: '' }]
    : runScopes;
  const unique = new Map(scopes.map((scope) => [computeScopeId(scope), scope]));
  const rejectedKeys = rejected.flatMap((r) => (r.id !== undefined ? [computeFindingKey(source, r.id)] : []));
  const scans = [...unique].map(([scopeId, scope], index): ScanRecord => {
    const reported = accepted.filter((a) => a.scope === scopeId);
    return {
      scanId: `${input.scanIdPrefix}-${index}`,
      scope,
      scopeId,
      label: describeScope(scope),
      receivedAt: input.receivedAt.toISOString(),
      reported: reported.length,
      present: packFindingKeys([...reported.map((a) => computeFindingKey(source, a.finding.id)), ...rejectedKeys]),
    };
  });
  return { accepted, rejected, scans };
}
