import { z } from 'zod';

/**
 * Safe text and URL primitives shared by every schema that reads untrusted input.
 *
 * - Single-line text rejects every control character (C0, DEL, C1).
 * - Multi-line text (Markdown) additionally allows TAB, LF and CR.
 * - Both reject unpaired UTF-16 surrogates, which JSON allows but Jira cannot store.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is what this pattern is for
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- as above, less TAB, LF and CR
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextProblem = { index: number; message: string };

/** Describes the first character that makes `value` unsafe, or undefined when it is clean. */
export function findTextProblem(value: string, multiline: boolean): TextProblem | undefined {
  const control = (multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return {
      index: control.index,
      message: `Must not contain control characters (found U+${code} at position ${control.index})`,
    };
  }
  const surrogate = UNPAIRED_SURROGATE.exec(value);
  if (surrogate) {
    return {
      index: surrogate.index,
      message: `Must be valid Unicode (unpaired surrogate at position ${surrogate.index})`,
    };
  }
  return undefined;
}

function refineText(multiline: boolean) {
  return (value: string, ctx: z.RefinementCtx): void => {
    const problem = findTextProblem(value, multiline);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
  };
}

/** A trimmed single-line string of 1..max characters without control characters. */
export function lineText(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'Must not be empty')
    .max(max, `Must be at most ${max} characters`)
    .superRefine(refineText(false));
}

/** A multi-line (Markdown) string of at most max characters; TAB/LF/CR allowed, other controls not. */
export function multilineText(max: number) {
  return z.string().max(max, `Must be at most ${max} characters`).superRefine(refineText(true));
}

export const MAX_URL_LENGTH = 2000;
const WEB_PROTOCOLS = new Set(['http:', 'https:']);

/** True for absolute http(s) URLs without embedded credentials: the only links the app emits. */
export function isSafeWebUrl(value: string): boolean {
  if (value.length > MAX_URL_LENGTH || findTextProblem(value, false)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return WEB_PROTOCOLS.has(url.protocol) && url.hostname.length > 0 && url.username === '' && url.password === '';
}

/** http(s) URL, at most 2,000 characters, no credentials (javascript:, data:, file: are refused). */
export const SafeUrlSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, `Must be at most ${MAX_URL_LENGTH} characters`)
  .refine(isSafeWebUrl, 'Must be an absolute http(s) URL without credentials');

/** Keys that would poison a plain object if used as record keys. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Truncates to at most `max` UTF-16 units, ending with an ellipsis, never splitting a surrogate pair. */
export function truncateText(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = Math.max(0, max - 1);
  const last = value.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${value.slice(0, cut).trimEnd()}…`;
}

/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): the
 * "Trojan source" characters that make text display in an order other than the one it is stored in
 * ("invoice\u202Egnp.exe" shows as "invoiceexe.png"). Other bidi marks (LRM, RLM) only nudge
 * neutral characters and are left alone.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes bidi controls: for one-line text a person scans (titles, summaries, labels). */
export function removeBidiControls(value: string): string {
  return value.replace(BIDI_CONTROLS, '');
}

/** Replaces each bidi control by a visible `<U+202E>`, for text a person reads closely (descriptions). */
export function escapeBidiControls(value: string): string {
  return value.replace(BIDI_CONTROLS, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
}

/**
 * Removes the characters that `findTextProblem` would reject (control characters become a space in
 * one-line text; unpaired surrogates become U+FFFD), leaving bidi controls for the caller to handle.
 */
export function stripControlCharacters(value: string, multiline: boolean): string {
  const control = new RegExp((multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).source, 'g');
  return value
    .replace(control, multiline ? '' : ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Removes the characters that `findTextProblem` would reject, for text we derive rather than receive.
 * Bidi controls are removed from single-line text and shown escaped in multi-line text.
 */
export function stripUnsafeCharacters(value: string, multiline: boolean): string {
  const clean = stripControlCharacters(value, multiline);
  return multiline ? escapeBidiControls(clean) : removeBidiControls(clean);
}

/**
 * One line a person reads, derived from received text: control characters and bidi controls removed
 * (`stripUnsafeCharacters`), runs of white space made one space, trimmed, at most `max` characters. A
 * SARIF finding's scanner and a complete scan's scope parts are cleaned by this one function.
 */
export function toOneLine(value: string, max: number): string {
  return truncateText(stripUnsafeCharacters(value, false).replace(/\s+/g, ' ').trim(), max);
}
