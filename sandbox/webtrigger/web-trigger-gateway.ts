import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { z } from 'zod';
import { jsonResponse, type ServiceRequest, type ServiceResponse } from '../http/types';
import { listenOn } from '../http/listen';

/**
 * Web triggers as Forge exposes them: a public URL per (installation, module) that Forge turns into
 * a function call `handler(event, context)` with event `{method, path, headers: {name: [values]},
 * queryParameters: {name: [values]}, body}`; a `dynamic` response `{statusCode, headers: {name:
 * [values]}, body}` goes back to the caller. Forge's invocation payload limit (5 MB, "Invocation
 * limits") counts the whole event the function receives — the body as a JSON-escaped string plus
 * method, path, headers and query — so a request whose event is over 5 MB is refused with 413
 * before the function runs, even when the raw body alone is under 5 MB.
 * `webTrigger.getUrl()` reaches this through the GraphQL mutation `@forge/api` sends.
 */

export const MAX_WEB_TRIGGER_PAYLOAD_BYTES = 5 * 1024 * 1024;

/** Bytes of the event as Forge serialises it for the function: UTF-8 JSON of the whole event. */
export function measureWebTriggerEvent(event: WebTriggerEvent): number {
  return Buffer.byteLength(JSON.stringify(event), 'utf8');
}

export interface WebTriggerEvent {
  method: string;
  path: string;
  headers: Record<string, string[]>;
  queryParameters: Record<string, string[]>;
  body: string;
}

const DynamicResponseSchema = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string().optional(),
  statusText: z.string().optional(),
});

export interface WebTriggerState {
  ids: Record<string, string>;
}

export interface HttpLikeRequest {
  method: string;
  /** Path after the trigger id, with query string, e.g. `/?asset=web`. */
  pathAndQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The GraphQL calls `@forge/api`'s webTrigger makes (createWebTriggerUrl, deleteWebTriggerUrl). */
const GraphqlRequestSchema = z.object({
  query: z.string().optional(),
  variables: z
    .object({ input: z.object({ triggerKey: z.string().optional() }).optional(), id: z.string().optional() })
    .optional(),
});

export class WebTriggerGateway {
  private readonly ids: Record<string, string>;
  private baseUrl = 'http://127.0.0.1:0';
  private server?: http.Server;
  /** Told when an id changes (a deleted URL gets a new one): the sandbox's write-ahead journal. */
  onChange?: (state: WebTriggerState) => void;

  constructor(
    private readonly moduleKeys: string[],
    private readonly invoke: (moduleKey: string, event: WebTriggerEvent) => Promise<unknown>,
    state?: WebTriggerState,
  ) {
    this.ids = { ...(state?.ids ?? {}) };
    for (const key of moduleKeys) this.ids[key] ??= randomBytes(16).toString('hex');
  }

  snapshot(): WebTriggerState {
    return { ids: { ...this.ids } };
  }

  urlFor(moduleKey: string): string {
    const id = this.ids[moduleKey];
    if (!id) throw new Error(`No web trigger module '${moduleKey}' in manifest.yml`);
    return `${this.baseUrl}/x1/${id}`;
  }

  /** GraphQL requests `@forge/api`'s webTrigger sends to stargate. */
  handleGraphql(request: ServiceRequest): ServiceResponse {
    let json: unknown;
    try {
      json = JSON.parse(request.body ?? '{}');
    } catch {
      return jsonResponse(400, { errors: [{ message: 'Invalid JSON' }] });
    }
    const checked = GraphqlRequestSchema.safeParse(json);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return jsonResponse(400, {
        errors: [{ message: `Invalid request at ${issue?.path.join('.')}: ${issue?.message}` }],
      });
    }
    const parsed = checked.data;
    const query = parsed.query ?? '';
    if (query.includes('createWebTriggerUrl')) {
      const key = parsed.variables?.input?.triggerKey ?? '';
      if (!this.ids[key])
        return jsonResponse(200, {
          data: null,
          errors: [{ message: `Web trigger '${key}' is not defined by the app` }],
        });
      return jsonResponse(200, { data: { createWebTriggerUrl: { url: this.urlFor(key) } } });
    }
    if (query.includes('webTriggerUrlsByAppContext')) {
      return jsonResponse(200, {
        data: { webTriggerUrlsByAppContext: this.moduleKeys.map((k) => ({ triggerKey: k, url: this.urlFor(k) })) },
      });
    }
    if (query.includes('deleteWebTriggerUrl')) {
      const entry = Object.entries(this.ids).find(([, id]) => id === parsed.variables?.id);
      if (!entry)
        return jsonResponse(200, {
          data: { deleteWebTriggerUrl: { success: false, message: 'Unknown web trigger URL' } },
        });
      this.ids[entry[0]] = randomBytes(16).toString('hex');
      this.onChange?.(this.snapshot());
      return jsonResponse(200, { data: { deleteWebTriggerUrl: { success: true, message: null } } });
    }
    return jsonResponse(400, { errors: [{ message: 'The sandbox does not serve this GraphQL operation' }] });
  }

  /** One HTTP request to a web trigger URL, without a socket (tests) or from the HTTP server. */
  async handle(
    triggerId: string,
    request: HttpLikeRequest,
  ): Promise<{ status: number; headers: Record<string, string[]>; body: string }> {
    const moduleKey = Object.keys(this.ids).find((k) => this.ids[k] === triggerId);
    if (!moduleKey)
      return {
        status: 404,
        headers: { 'content-type': ['application/json'] },
        body: JSON.stringify({ message: 'Web trigger not found' }),
      };
    if (request.body.length > MAX_WEB_TRIGGER_PAYLOAD_BYTES) {
      return {
        status: 413,
        headers: { 'content-type': ['application/json'] },
        body: JSON.stringify({ message: 'Payload Too Large: web trigger payloads are limited to 5 MB' }),
      };
    }
    const url = new URL(request.pathAndQuery || '/', 'http://sandbox');
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      headers[name] = Array.isArray(value) ? value : [value];
    }
    const queryParameters: Record<string, string[]> = {};
    url.searchParams.forEach((value, name) => (queryParameters[name] ??= []).push(value));
    const event: WebTriggerEvent = {
      method: request.method,
      path: url.pathname,
      headers,
      queryParameters,
      body: request.body.toString('utf8'),
    };
    const eventBytes = measureWebTriggerEvent(event);
    if (eventBytes > MAX_WEB_TRIGGER_PAYLOAD_BYTES) {
      return {
        status: 413,
        headers: { 'content-type': ['application/json'] },
        body: JSON.stringify({
          message:
            'Payload Too Large: the web trigger event (JSON-escaped body, headers and query) is ' +
            `${eventBytes} bytes; the limit is 5 MB`,
        }),
      };
    }
    let result: unknown;
    try {
      result = await this.invoke(moduleKey, event);
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'FUNCTION_TIME_OUT';
      return {
        status: timedOut ? 504 : 500,
        headers: { 'content-type': ['application/json'] },
        body: JSON.stringify({
          message: timedOut ? 'The web trigger function timed out' : 'The web trigger function failed',
        }),
      };
    }
    const response = DynamicResponseSchema.safeParse(result);
    if (!response.success) {
      return {
        status: 500,
        headers: { 'content-type': ['application/json'] },
        body: JSON.stringify({ message: 'The web trigger function returned an invalid response' }),
      };
    }
    return { status: response.data.statusCode, headers: response.data.headers ?? {}, body: response.data.body ?? '' };
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => {
      const match = /^\/x1\/([0-9a-f]+)(\/[^?]*)?(\?.*)?$/.exec(req.url ?? '');
      if (!match) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Not a web trigger URL' }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_WEB_TRIGGER_PAYLOAD_BYTES) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on('end', () => {
        const body = tooLarge ? Buffer.alloc(MAX_WEB_TRIGGER_PAYLOAD_BYTES + 1) : Buffer.concat(chunks);
        void this.handle(match[1]!, {
          method: req.method ?? 'GET',
          pathAndQuery: `${match[2] ?? '/'}${match[3] ?? ''}`,
          headers: req.headers,
          body,
        }).then((out) => {
          res.writeHead(out.status, Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k, v.join(', ')])));
          res.end(out.body);
        });
      });
    });
    await listenOn(this.server, port, host);
    const address = this.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    this.baseUrl = `http://${host}:${actualPort}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
