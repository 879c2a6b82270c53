import type { DocNode } from '@atlaskit/adf-schema';
import { doc, em, paragraph, text } from '@atlaskit/adf-utils/builders';
import { markdownToBlocks } from './markdown-adf';
import { escapeBidiControls, stripUnsafeCharacters, truncateText } from './text';

/**
 * Atlassian Document Format values for Jira: Markdown (domain/markdown-adf.ts does the conversion)
 * or plain text as a document, kept within Jira's size limit. The finding's issue description is
 * built in domain/finding-description.ts.
 */

export { isSafeLinkHref } from './markdown-adf';

/**
 * Jira refuses rich-text values above 32,767 characters (`CONTENT_LIMIT_EXCEEDED`). The ADF JSON
 * length is an upper bound of what Jira counts, so staying under this budget is always safe.
 */
export const ADF_MAX_JSON_LENGTH = 32_000;

/** Length of the serialised document, the measure used for `ADF_MAX_JSON_LENGTH`. */
export function measureAdf(document: DocNode): number {
  return JSON.stringify(document).length;
}

/** The longest prefix length of `source` (binary search) for which `fits(prefix)` holds; 0 if none. */
export function longestFittingPrefix(source: string, fits: (prefix: string) => boolean): number {
  let low = 0;
  let high = source.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(truncateText(source, middle))) low = middle;
    else high = middle - 1;
  }
  return low;
}

export const TRUNCATION_NOTE = 'This text was shortened to fit Jira’s size limit.';

/**
 * Converts Markdown to an ADF document (empty input gives an empty document). A document over
 * `maxJsonLength` is built from the longest prefix of the Markdown that fits, followed by a note.
 */
export function markdownToAdf(source: string, maxJsonLength: number = ADF_MAX_JSON_LENGTH): DocNode {
  const full = doc(...markdownToBlocks(source));
  if (measureAdf(full) <= maxJsonLength) return full;
  const build = (prefix: string) => doc(...markdownToBlocks(prefix), paragraph(em(TRUNCATION_NOTE)));
  const length = longestFittingPrefix(source, (prefix) => measureAdf(build(prefix)) <= maxJsonLength);
  return build(length > 0 ? truncateText(source, length) : '');
}

/** A document holding one plain-text paragraph (no Markdown interpretation). */
export function plainTextToAdf(value: string): DocNode {
  const clean = stripUnsafeCharacters(value, false).trim();
  return clean.length > 0 ? doc(paragraph(text(clean))) : doc();
}

/**
 * Every text of the document with its bidi controls shown as `<U+202E>` ("Trojan source": a
 * scanner name, file or description must not display in an order other than the one it is in).
 * Descriptions are read closely, so the controls are made visible rather than silently removed
 * (a finding's description, a group issue's member table).
 */
export function withVisibleBidiControls<T>(node: T): T {
  if (Array.isArray(node)) return node.map((child: unknown) => withVisibleBidiControls(child)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === 'text' && typeof value === 'string'
        ? escapeBidiControls(value)
        : key === 'content'
          ? withVisibleBidiControls(value)
          : value;
  }
  return out as T;
}
