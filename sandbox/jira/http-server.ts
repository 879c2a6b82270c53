import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { renderBoardPage, type BoardMessage } from './board-page';
import type { JiraEmulator } from './jira-emulator';
import { JiraRequestError, PERSON_HEADER } from './user-session';

/**
 * HTTP front of the emulator for people and scripts: `/rest/api/3/...` (as the seeded admin, or
 * as the account named in `X-Sandbox-User`) and the HTML board at `/`.
 */

export interface JiraHttpServerOptions {
  port: number;
  host?: string;
}

export interface JiraHttpServer {
  url: string;
  close(): Promise<void>;
}

export const SANDBOX_USER_HEADER = 'x-sandbox-user';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const TransitionFormSchema = z.object({
  as: z.string().min(1),
  transitionId: z.string().min(1),
  resolutionId: z.string().optional(),
});
const EditFormSchema = z.object({ as: z.string().min(1), summary: z.string() });
const DeleteFormSchema = z.object({ as: z.string().min(1) });

class BodyTooLargeError extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function lowerCaseHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describeError(error: unknown): string {
  if (error instanceof JiraRequestError) {
    const body = error.body as { errorMessages?: string[]; errors?: Record<string, string> };
    const parts = [...(body?.errorMessages ?? []), ...Object.entries(body?.errors ?? {}).map(([k, v]) => `${k}: ${v}`)];
    return `Jira answered ${error.status}: ${parts.join('; ') || JSON.stringify(error.body)}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function startJiraHttpServer(emulator: JiraEmulator, options: JiraHttpServerOptions): Promise<JiraHttpServer> {
  const host = options.host ?? '127.0.0.1';
  let lastActingAs = emulator.users.admin;

  const sendBoard = (res: http.ServerResponse, status: number, message?: BoardMessage) => {
    const html = renderBoardPage(emulator.snapshot(), lastActingAs, message);
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };

  const handleBoardForm = async (req: http.IncomingMessage, res: http.ServerResponse, key: string, action: string) => {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const schema =
      action === 'transition'
        ? TransitionFormSchema
        : action === 'edit'
          ? EditFormSchema
          : action === 'delete'
            ? DeleteFormSchema
            : undefined;
    if (!schema) return sendBoard(res, 404, { kind: 'error', text: `Unknown board action '${action}'.` });
    const parsed = schema.safeParse(form);
    if (!parsed.success)
      return sendBoard(res, 400, {
        kind: 'error',
        text: `Bad form: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      });
    const data = parsed.data as { as: string; transitionId?: string; resolutionId?: string; summary?: string };
    lastActingAs = data.as;
    const session = emulator.as(data.as);
    try {
      if (action === 'transition') {
        // The id goes to Jira as given, so an unavailable transition gets Jira's own 400.
        const path = `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`;
        const response = await session.request('POST', path, {
          transition: { id: data.transitionId },
          ...(data.resolutionId ? { fields: { resolution: { id: data.resolutionId } } } : {}),
        });
        if (response.status !== 204) throw new JiraRequestError(response.status, response.body, `POST ${path}`);
      } else if (action === 'edit') {
        await session.edit(key, { summary: data.summary });
      } else {
        await session.delete(key);
      }
    } catch (error) {
      return sendBoard(res, 400, { kind: 'error', text: `${key}: ${describeError(error)}` });
    }
    res.writeHead(303, { location: '/' });
    res.end();
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      try {
        if (url.pathname.startsWith('/rest/')) {
          const headers = lowerCaseHeaders(req);
          const accountId = headers[SANDBOX_USER_HEADER] ?? emulator.users.admin;
          const body = await readBody(req);
          const response = await emulator.handle(
            {
              method: req.method ?? 'GET',
              path: `${url.pathname}${url.search}`,
              headers: { ...headers, [PERSON_HEADER]: '1' },
              ...(body.length > 0 ? { body } : {}),
            },
            { kind: 'user', accountId },
          );
          res.writeHead(response.status, response.headers ?? {});
          res.end(response.body ?? '');
          return;
        }
        if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/board')) return sendBoard(res, 200);
        const form = /^\/board\/issues\/([^/]+)\/(transition|edit|delete)$/.exec(url.pathname);
        if (req.method === 'POST' && form)
          return await handleBoardForm(req, res, decodeURIComponent(form[1]!), form[2]!);
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Not found. The board is at / and the REST API under /rest/api/3/.');
      } catch (error) {
        const status = error instanceof BodyTooLargeError ? 413 : 500;
        if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errorMessages: [describeError(error)], errors: {} }));
      }
    })();
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      const address = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections?.();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
  });
}
