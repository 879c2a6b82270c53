import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Reads files of a Custom UI resource directory (e.g. static/admin/build), refusing to leave it. */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type ResourceLookup =
  { kind: 'file'; file: string; body: Buffer } | { kind: 'not-found' } | { kind: 'bad-path'; reason: string };

/** The file a URL pathname names inside `rootDir` (`/` → index.html). */
export async function readResourceFile(rootDir: string, urlPathname: string): Promise<ResourceLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return { kind: 'bad-path', reason: 'the path is not valid percent-encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'bad-path', reason: 'the path contains a NUL byte' };
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${path.posix.normalize(relative)}`);
  if (file !== root && !file.startsWith(root + path.sep))
    return { kind: 'bad-path', reason: 'the path leaves the resource directory' };
  try {
    const info = await stat(file);
    if (!info.isFile()) return { kind: 'not-found' };
    return { kind: 'file', file, body: await readFile(file) };
  } catch {
    return { kind: 'not-found' };
  }
}

/**
 * index.html with the sandbox's bridge script placed before the first script of the page (so
 * `window.__bridge` exists when `@forge/bridge` loads), or before `</head>` when it has none.
 */
export function injectBridgeScript(html: string, scriptSrc: string): string {
  const tag = `<script src="${scriptSrc}"></script>`;
  const firstScript = html.search(/<script\b/i);
  if (firstScript !== -1) return `${html.slice(0, firstScript)}${tag}\n    ${html.slice(firstScript)}`;
  const headEnd = html.search(/<\/head>/i);
  if (headEnd !== -1) return `${html.slice(0, headEnd)}${tag}\n  ${html.slice(headEnd)}`;
  return `${tag}\n${html}`;
}
