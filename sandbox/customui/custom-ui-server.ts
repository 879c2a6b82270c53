import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { parseInvokeRequest, MAX_INVOKE_REQUEST_BYTES, type BridgeRequestError } from './bridge-requests';
import { buildContentSecurityPolicy } from './content-security-policy';
import { contentTypeOf, injectBridgeScript, readResourceFile } from './resource-files';
import { resolveAsParameter, viewerCookie, viewerFromCookie, ViewerError, type SeededUsers } from './viewer';
import { listenOn } from '../http/listen';

/**
 * Serves a Custom UI resource (the admin page) as built, with the sandbox's bridge: the page gets
 * `./__sandbox/bridge.js` injected before its own scripts, which defines `window.__bridge` and
 * sends `invoke` / `getContext` to this server, which runs the app's real resolver through the
 * sandbox as the viewing user. See README.md.
 */

/** The parts of the Sandbox (sandbox/index.ts) the Custom UI server needs. */
export interface CustomUiSandbox {
  readonly manifest: {
    readonly root: string;
    readonly adminPages: readonly { key: string; resourcePath: string }[];
  };
  readonly jira: { readonly users: SeededUsers };
  callResolver(functionKey: string, payload: unknown, options: { accountId: string }): Promise<unknown>;
  viewContext(moduleKey: string, accountId: string): unknown;
}

export interface CustomUiServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Which `jira:adminPage` module to serve (default: the manifest's first). */
  moduleKey?: string;
  /** Serve this directory instead of the module's resource path from manifest.yml. */
  resourceDir?: string;
  /**
   * When the resource is the admin page build (static/admin/build) and it has no index.html, build
   * it first (default true), so `npm start` works on a fresh clone.
   */
  buildIfMissing?: boolean;
}

export interface CustomUiServer {
  /** The page, e.g. `http://127.0.0.1:4101/`. Add `?as=member` to view it as another user. */
  url: string;
  /** The directory being served. */
  resourceDir: string;
  close(): Promise<void>;
}

const SANDBOX_PREFIX = '/__sandbox/';
const BRIDGE_SCRIPT_PATH = `${SANDBOX_PREFIX}bridge.js`;

async function bundleBridgeShim(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, 'browser', 'bridge-shim.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the bridge shim');
  return `/* Forge sandbox: window.__bridge for Custom UI (sandbox/customui). */\n${output.text}`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function sendText(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendBridgeError(res: http.ServerResponse, error: BridgeRequestError): void {
  sendJson(res, error.status, {
    error: { message: error.message, ...(error.details ? { details: error.details } : {}) },
  });
}

/** Reads a request body, stopping (without buffering more) once it exceeds `limit` bytes. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve('too-large');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** A POST from another origin (a page on the internet targeting this local server) is refused. */
function isCrossOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

function publicHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the Custom UI server for the sandbox's admin page. */
export async function startCustomUiServer(
  sandbox: CustomUiSandbox,
  options: CustomUiServerOptions,
): Promise<CustomUiServer> {
  const page = options.moduleKey
    ? sandbox.manifest.adminPages.find((p) => p.key === options.moduleKey)
    : sandbox.manifest.adminPages[0];
  if (!page)
    throw new Error(
      options.moduleKey
        ? `manifest.yml has no jira:adminPage '${options.moduleKey}'`
        : 'manifest.yml has no jira:adminPage module',
    );
  const resourceDir = path.resolve(options.resourceDir ?? path.join(sandbox.manifest.root, page.resourcePath));

  if (!existsSync(path.join(resourceDir, 'index.html')) && options.buildIfMissing !== false) {
    const { ADMIN_PAGE_BUILD_DIR, buildAdminPage } = await import('../../static/admin/build');
    if (path.resolve(ADMIN_PAGE_BUILD_DIR) === resourceDir) await buildAdminPage();
  }
  const [bridgeScript, contentSecurityPolicy] = await Promise.all([
    bundleBridgeShim(),
    Promise.resolve(buildContentSecurityPolicy(sandbox.manifest.root)),
  ]);

  const serveIndex = async (res: http.ServerResponse, headOnly: boolean, setCookie?: string): Promise<void> => {
    const index = await readResourceFile(resourceDir, '/index.html');
    if (index.kind !== 'file') {
      sendText(
        res,
        503,
        `The Custom UI resource is not built: ${path.join(resourceDir, 'index.html')} is missing. ` +
          'Build it with `npx tsx static/admin/build.ts`.\n',
      );
      return;
    }
    const html = injectBridgeScript(index.body.toString('utf8'), `.${BRIDGE_SCRIPT_PATH}`);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'content-length': Buffer.byteLength(html),
      ...(setCookie ? { 'set-cookie': setCookie } : {}),
    });
    res.end(headOnly ? undefined : html);
  };

  const handleInvoke = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (isCrossOrigin(req))
      return sendBridgeError(res, { status: 403, message: `cross-origin invoke from ${req.headers.origin} refused` });
    const body = await readBody(req, MAX_INVOKE_REQUEST_BYTES);
    if (body === 'too-large')
      return sendBridgeError(res, {
        status: 413,
        message: `the invoke request exceeds ${MAX_INVOKE_REQUEST_BYTES} bytes, Forge's limit for a front-end invoke`,
      });
    const parsed = parseInvokeRequest(req.headers['content-type'], body);
    if (!parsed.ok) return sendBridgeError(res, parsed.error);
    const accountId = viewerFromCookie(req.headers.cookie, sandbox.jira.users);
    try {
      const result = await sandbox.callResolver(parsed.value.functionKey, parsed.value.payload, { accountId });
      sendJson(res, 200, result === undefined ? {} : { result });
    } catch (error) {
      sendJson(res, 500, {
        error: { message: `The resolver failed for '${parsed.value.functionKey}': ${describeError(error)}` },
      });
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = req.method ?? 'GET';

    if (url.pathname === `${SANDBOX_PREFIX}invoke`) {
      if (method !== 'POST')
        return sendJson(res, 405, { error: { message: 'use POST for invoke' } }, { allow: 'POST' });
      return handleInvoke(req, res);
    }
    if (url.pathname === `${SANDBOX_PREFIX}context`) {
      if (method !== 'GET')
        return sendJson(res, 405, { error: { message: 'use GET for the context' } }, { allow: 'GET' });
      return sendJson(res, 200, {
        result: sandbox.viewContext(page.key, viewerFromCookie(req.headers.cookie, sandbox.jira.users)),
      });
    }
    if (url.pathname === BRIDGE_SCRIPT_PATH) {
      if (method !== 'GET' && method !== 'HEAD') return sendText(res, 405, 'use GET\n', { allow: 'GET, HEAD' });
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(method === 'HEAD' ? undefined : bridgeScript);
      return;
    }
    if (url.pathname.startsWith(SANDBOX_PREFIX))
      return sendJson(res, 404, { error: { message: `the sandbox has no endpoint ${url.pathname}` } });

    if (method !== 'GET' && method !== 'HEAD')
      return sendText(res, 405, `${method} is not allowed on a Custom UI resource\n`, { allow: 'GET, HEAD' });
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const as = url.searchParams.get('as');
      return serveIndex(
        res,
        method === 'HEAD',
        as === null ? undefined : viewerCookie(resolveAsParameter(as, sandbox.jira.users)),
      );
    }
    const found = await readResourceFile(resourceDir, url.pathname);
    if (found.kind === 'bad-path') return sendText(res, 400, `Bad path: ${found.reason}\n`);
    if (found.kind === 'not-found') {
      // Browsers ask for a favicon on their own; Jira's iframe never does. Keep the console clean.
      if (url.pathname === '/favicon.ico') return void res.writeHead(204, { 'cache-control': 'max-age=3600' }).end();
      return sendText(res, 404, `Not found: ${url.pathname}\n`);
    }
    res.writeHead(200, {
      'content-type': contentTypeOf(found.file),
      'content-length': found.body.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(found.file.endsWith('.html') ? { 'content-security-policy': contentSecurityPolicy } : {}),
    });
    res.end(method === 'HEAD' ? undefined : found.body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy(error instanceof Error ? error : undefined);
        return;
      }
      if (error instanceof ViewerError) {
        const wantsJson = (req.url ?? '').startsWith(SANDBOX_PREFIX);
        return wantsJson
          ? sendJson(res, 400, { error: { message: error.message } })
          : sendText(res, 400, `${error.message}\n`);
      }
      sendJson(res, 500, { error: { message: `The sandbox's Custom UI server failed: ${describeError(error)}` } });
    });
  });

  const host = options.host ?? '127.0.0.1';
  await listenOn(server, options.port, host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${publicHost(host)}:${port}/`,
    resourceDir,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return closing;
    },
  };
}
