import { canonicalJson, sha256Hex } from './hash';
import type { SarifResult } from './sarif-schema';

/**
 * Stable finding ids for SARIF results, in order of preference: `fingerprints` (complete by
 * definition); `partialFingerprints` combined with the rule id and artifact URI (they are *partial*:
 * CodeQL's line hash repeats across files); `correlationGuid`; `guid`; else a hash of rule id +
 * primary location (URI, start line and column, logical location). Every id also covers the tool
 * name and the asset, so the same file in two repositories gives two findings. Only when two
 * results of one log still collide is the message added, and only if they still collide the place
 * (rule, URI, line, column, logical location). Results equal in all of that are one finding reported
 * twice (`findRepeats`): the caller keeps the first and counts the others as duplicates. Ids stay
 * stable across re-posts and unique within a log.
 */

/**
 * What identifies one result before hashing: its identity key; for collisions, its message and
 * place (rule, URI, line, column, logical location).
 */
export type SarifIdentity = { key: Record<string, unknown>; message: string; place: Record<string, unknown> };

function sortedEntries(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function identityKey(
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

/**
 * For each candidate, the position of an earlier one it repeats exactly (same identity key, rule,
 * location and message: one finding reported twice), else undefined.
 */
export function findRepeats(candidates: ReadonlyArray<SarifIdentity>): Array<number | undefined> {
  const first = new Map<string, number>();
  return candidates.map((c, position) => {
    const exact = canonicalJson({ key: c.key, place: c.place, message: c.message });
    const earlier = first.get(exact);
    if (earlier === undefined) first.set(exact, position);
    return earlier;
  });
}

/**
 * Hashes each candidate's identity; only where ids collide adds the message, then the place, then
 * (for exact repeats, which callers drop first with `findRepeats`) an occurrence number.
 */
export function assignUniqueIds(candidates: ReadonlyArray<SarifIdentity>): string[] {
  const baseKeys = candidates.map((c) => canonicalJson(c.key));
  const baseCounts = countBy(baseKeys);
  // The same key format as before places were added, so ids of earlier posts stay the same.
  const withMessage = candidates.map((c, i) =>
    (baseCounts.get(baseKeys[i]!) ?? 0) > 1 ? canonicalJson({ ...c.key, message: c.message }) : baseKeys[i]!,
  );
  const messageCounts = countBy(withMessage);
  const keys = candidates.map((c, i) =>
    (messageCounts.get(withMessage[i]!) ?? 0) > 1
      ? canonicalJson({ ...c.key, message: c.message, place: c.place })
      : withMessage[i]!,
  );
  const finalCounts = countBy(keys);
  const seen = new Map<string, number>();
  return keys.map((key) => {
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
