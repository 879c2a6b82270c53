import type { Finding } from './finding';
import type { SyncConfig, TargetMapping } from './config';

export type RouteResult =
  | { routed: true; mapping: TargetMapping; matchedBy: 'assetId' | 'assetName' | 'default' }
  | { routed: false; reason: 'no-asset' | 'no-match'; message: string };

/**
 * Case-insensitive glob match (`*` any run of characters, `?` one character) without regular
 * expressions: linear-time backtracking over the last star, so hostile patterns cannot blow up.
 */
export function matchesGlob(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi += 1;
      vi += 1;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi;
      resume = vi;
      pi += 1;
    } else if (star !== -1) {
      pi = star + 1;
      resume += 1;
      vi = resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}

/**
 * Chooses the project mapping for a finding: the first mapping listing its asset id, else the
 * first whose name pattern matches the asset name, else the default mapping, else unrouted.
 */
export function routeFinding(
  finding: Pick<Finding, 'asset'>,
  config: Pick<SyncConfig, 'mappings' | 'defaultMapping'>,
): RouteResult {
  const asset = finding.asset;
  if (asset) {
    const byId = config.mappings.find((mapping) => mapping.match.assetIds?.includes(asset.id));
    if (byId) return { routed: true, mapping: byId, matchedBy: 'assetId' };
    const byName = config.mappings.find(
      (mapping) =>
        mapping.match.assetNamePattern !== undefined && matchesGlob(mapping.match.assetNamePattern, asset.name),
    );
    if (byName) return { routed: true, mapping: byName, matchedBy: 'assetName' };
  }
  if (config.defaultMapping) return { routed: true, mapping: config.defaultMapping, matchedBy: 'default' };
  return asset
    ? {
        routed: false,
        reason: 'no-match',
        message: `No project mapping matches asset "${asset.name}" (${asset.id}) and there is no default mapping`,
      }
    : { routed: false, reason: 'no-asset', message: 'The finding names no asset and there is no default mapping' };
}
