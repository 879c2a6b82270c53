/**
 * Request bodies the app cannot read. A Forge web trigger hands its function the body as text (the event's `body` is
 * a string), so bytes that are not UTF-8 — a gzip, deflate or brotli body among them — do not survive the trip: each
 * undecodable sequence becomes U+FFFD, and an HMAC over the bytes the platform sent can never match the text the app
 * receives. These checks name the problem instead. Pure: they look only at what the caller sent.
 */

const REPLACEMENT_CHARACTER = 0xfffd;
const GZIP_MAGIC_FIRST = 0x1f;
const GZIP_MAGIC_SECOND = 0x8b;

export type CompressedBody = { reason: 'content-encoding'; encoding: string } | { reason: 'gzip-magic' };

/** The content codings a `Content-Encoding` header lists (lower case), `identity` left out. */
function contentCodings(values: ReadonlyArray<string> | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

/**
 * A compressed body: a `Content-Encoding` other than `identity` (gzip, deflate, br, …), or a body that starts with
 * gzip's magic bytes 1f 8b — which no JSON text can (JSON may start only with whitespace, `{`, `[`, `"`, a digit, `-`,
 * `t`, `f` or `n`). The second byte arrives as U+FFFD when the body was decoded as UTF-8, or as itself otherwise.
 */
export function findCompressedBody(
  contentEncoding: ReadonlyArray<string> | undefined,
  body: string,
): CompressedBody | undefined {
  const codings = contentCodings(contentEncoding);
  if (codings.length > 0) return { reason: 'content-encoding', encoding: codings.join(', ') };
  const second = body.charCodeAt(1);
  if (body.charCodeAt(0) === GZIP_MAGIC_FIRST && (second === GZIP_MAGIC_SECOND || second === REPLACEMENT_CHARACTER))
    return { reason: 'gzip-magic' };
  return undefined;
}

/** How many U+FFFD the body holds: where bytes that were not UTF-8 stood, or (rarely) the character itself. */
export function countReplacementCharacters(body: string): number {
  let count = 0;
  for (let index = body.indexOf('\ufffd'); index !== -1; index = body.indexOf('\ufffd', index + 1)) count++;
  return count;
}
