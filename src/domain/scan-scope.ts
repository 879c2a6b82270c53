import { z } from 'zod';
import type { Finding } from './finding';
import { FINDING_LIMITS } from './finding';
import { isClosedStatus } from './grouping';
import { sha256Hex } from './hash';
import { lineText, toOneLine } from './text';

/**
 * Complete scans, pure: a post that declares itself complete for a scope says "these are all the
 * open findings of that scope"; the open findings of the scope it does not contain are closed.
 *
 * A scope is (source, asset, tool, category): the platform identity the findings are keyed by, the
 * asset they were found on, the tool that found them (a finding's `scanner`, a SARIF run's
 * `tool.driver.name`) and, for SARIF, the run's `automationDetails.id` category — so a CodeQL
 * analysis of `javascript` never closes the findings of its `python` analysis (GitHub code scanning's
 * rule). Every finding the app syncs belongs to exactly one scope, computed from the finding alone.
 */

export type ScanScope = { source: string; asset: string; tool: string; category: string };

/** The share of a scope's open findings above which a complete scan is held for an admin (0.5 = 50 %). */
export const DEFAULT_MAX_CLOSE_SHARE = 0.5;

/** A scope's id, in the KVS key alphabet: 24 hex characters of SHA-256 over its four parts. */
export function computeScopeId(scope: ScanScope): string {
  return `sc-${sha256Hex([scope.source, scope.asset, scope.tool, scope.category].join('\n')).slice(0, 24)}`;
}

/**
 * The longest each part of a scope may be: the finding fields they come from (`source`, `asset.id`,
 * `scanner`) and, for the SARIF category, an asset name's length.
 */
export const SCOPE_LIMITS = {
  source: 100,
  asset: FINDING_LIMITS.name,
  tool: FINDING_LIMITS.scanner,
  category: FINDING_LIMITS.name,
} as const;

/**
 * A scope part read from a SARIF run, cleaned as the run's findings are (`toOneLine`: control and bidi
 * characters removed, white space collapsed, at most its limit) — so the run's scope is the one its
 * findings compute, whatever the tool name or category holds. Clean values are unchanged: existing
 * scope ids stay as they were.
 */
export function cleanScopePart(value: string, part: keyof typeof SCOPE_LIMITS): string {
  return toOneLine(value, SCOPE_LIMITS[part]);
}

/**
 * The scope of one SARIF run: `tool` its `tool.driver.name`, `asset` the asset id its findings got (the
 * `?asset=` or the run's repository, as cleaned for them), `automationId` its `automationDetails.id`.
 */
export function sarifRunScope(
  source: string,
  run: { tool: string; asset: string | undefined; automationId: string | undefined },
): ScanScope {
  return {
    source,
    asset: run.asset?.trim() ?? '',
    tool: cleanScopePart(run.tool, 'tool'),
    category: cleanScopePart(sarifCategory(run.automationId), 'category'),
  };
}

/**
 * A short label for comments and the Health tab: `conviso: semgrep on web-shop (category js/)`. Every
 * part is shown as one clean line (a JSON scope may hold bidi controls, as a finding's fields may).
 */
export function describeScope(scope: ScanScope): string {
  const tool = cleanScopePart(scope.tool, 'tool') || 'findings';
  const assetName = cleanScopePart(scope.asset, 'asset');
  const asset = assetName ? ` on ${assetName}` : ' (no asset)';
  const categoryName = cleanScopePart(scope.category, 'category');
  const category = categoryName ? ` (category ${categoryName})` : '';
  return `${cleanScopePart(scope.source, 'source')}: ${tool}${asset}${category}`;
}

/** The scope of one finding as the app received it (its `category` comes from the SARIF run, if any). */
export function scopeOfFinding(source: string, finding: Finding, category = ''): ScanScope {
  return { source, asset: finding.asset?.id ?? '', tool: finding.scanner ?? '', category };
}

/**
 * The category of a SARIF run: `automationDetails.id` up to its last `/` (SARIF §3.17.4: "category/run
 * id"), or the whole id when it has no `/`; empty when the run has none.
 */
export function sarifCategory(automationId: string | undefined): string {
  const id = automationId?.trim() ?? '';
  const slash = id.lastIndexOf('/');
  return slash > 0 ? id.slice(0, slash) : id;
}

/** The JSON contract's declaration: `{"scope": {"asset", "source"}, "complete": true}` beside `findings`. */
export const ScopeDeclarationSchema = z.object({
  complete: z.literal(true, { message: 'Must be true (leave "complete" out for an incremental post)' }),
  scope: z.object(
    {
      asset: lineText(FINDING_LIMITS.name),
      /** The tool whose findings these are: the findings' `scanner`. */
      source: lineText(FINDING_LIMITS.scanner),
    },
    { message: 'A complete post names its scope: {"asset": "<asset id>", "source": "<scanner>"}' },
  ),
});
export type ScopeDeclaration = z.output<typeof ScopeDeclarationSchema>;

/**
 * A finding of a complete JSON post belongs to the declared scope: a missing asset or scanner is the
 * scope's; another one is an error (the finding is rejected alone, nothing else changes).
 */
export function fitFindingToScope(
  finding: Finding,
  declared: ScopeDeclaration['scope'],
): { ok: true; finding: Finding } | { ok: false; path: string; message: string } {
  if (finding.asset && finding.asset.id !== declared.asset)
    return { ok: false, path: 'asset.id', message: `Must be the scope's asset "${declared.asset}" in a complete post` };
  if (finding.scanner !== undefined && finding.scanner !== declared.source)
    return {
      ok: false,
      path: 'scanner',
      message: `Must be the scope's source "${declared.source}" in a complete post`,
    };
  return {
    ok: true,
    finding: {
      ...finding,
      asset: finding.asset ?? { id: declared.asset, name: declared.asset },
      scanner: declared.source,
    },
  };
}

/** The 8-byte prefix of a finding key (`fk-` + hex) that the presence set of a scan stores. */
function keyPrefix(findingKey: string): string {
  return findingKey.replace(/^fk-/, '').slice(0, 16);
}

/**
 * The finding keys a complete post contains, packed for one KVS value: 8 bytes each (10,000 results →
 * 107 KB of base64, under the 240 KiB value limit). A collision only keeps a finding open.
 */
export function packFindingKeys(findingKeys: Iterable<string>): string {
  const prefixes = [...new Set([...findingKeys].map(keyPrefix))].sort();
  return Buffer.from(prefixes.join(''), 'hex').toString('base64');
}

export function unpackFindingKeys(packed: string): Set<string> {
  const hex = Buffer.from(packed, 'base64').toString('hex');
  const out = new Set<string>();
  for (let i = 0; i + 16 <= hex.length; i += 16) out.add(hex.slice(i, i + 16));
  return out;
}

export function isReported(present: ReadonlySet<string>, findingKey: string): boolean {
  return present.has(keyPrefix(findingKey));
}

export type CloseDecision = { action: 'none' } | { action: 'close' } | { action: 'hold'; share: number };

/**
 * Whether a complete scan that leaves `missing` of a scope's `open` findings unreported may close them
 * at once: above `maxShare` it is held for an admin (a scanner that crashed half-way, a wrong scope).
 */
export function decideScanClose(input: { open: number; missing: number; maxShare: number }): CloseDecision {
  if (input.missing === 0) return { action: 'none' };
  const share = input.open === 0 ? 1 : input.missing / input.open;
  return share > input.maxShare ? { action: 'hold', share } : { action: 'close' };
}

/** Where the finding stands for the scope index: open findings are listed, closed ones are not. */
export function isOpenInScope(finding: Finding): boolean {
  return !isClosedStatus(finding.status);
}

/** The version of a finding that a complete scan closes: the last one received, resolved (same `updatedAt`). */
export function closeFinding(finding: Finding): Finding {
  return { ...finding, status: 'resolved' };
}

/** A closed finding the platform reports open again is reopened in Jira (not left in a done status). */
export function effectiveStatusChange(
  previous: Finding['status'] | undefined,
  next: Finding['status'],
): Finding['status'] {
  return next === 'open' && previous !== undefined && isClosedStatus(previous) ? 'reopened' : next;
}

/** Who closed a finding: the complete scan, named in the Jira comment and the platform callback. */
export type ClosedByScan = { scanId: string; label: string; receivedAt: string };

export function describeScanClosure(closedBy: ClosedByScan): string {
  return (
    `Closed by a complete scan: ${closedBy.label} no longer reports this finding ` +
    `(scan ${closedBy.scanId}, received ${closedBy.receivedAt})`
  );
}
