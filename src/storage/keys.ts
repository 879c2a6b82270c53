/**
 * KVS key builders. Forge keys: ≤ 500 characters of [a-zA-Z0-9:._\s-#] — no `/`. Every key the app
 * writes is built here so that the key space stays documented in one place.
 */
const SAFE = /[^a-zA-Z0-9:._-]/g;

/** Encodes an arbitrary id into the key alphabet, reversibly enough to stay unique. */
export function encodeKeyPart(value: string): string {
  return value.replace(SAFE, (c) => `#${c.codePointAt(0)!.toString(16)}.`);
}

export const keys = {
  healthLastRun: () => 'health:last-run',
  issueLink: (issueId: string) => `link:issue:${encodeKeyPart(issueId)}`,
};
