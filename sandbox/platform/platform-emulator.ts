import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { z } from 'zod';
import { listenOn } from '../http/listen';

/**
 * The security platform's side, emulated: receives the app's signed callbacks at any path, checks
 * the `X-Signature` header (`t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`) with the shared
 * secret, and records each one, verified or not. `GET /` shows them (HTML, or JSON when asked with
 * `Accept: application/json`). Tests and `npm start` flags can make it fail, slow down or answer 429.
 * Written independently of the app's own signing code, so a test that passes proves both agree.
 */

export interface ReceivedCallback {
  at: string;
  /** `clock()` when it arrived (the sandbox's queue clock in tests). */
  clockMs?: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  verified: boolean;
  verification: 'ok' | 'missing' | 'malformed' | 'expired' | 'mismatch' | 'no-secret';
  answeredWith: number;
}

export type PlatformFault =
  | { kind: 'none' }
  | { kind: 'fail'; status: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'slow'; delayMs: number };

export function verifyPlatformSignature(
  header: string | undefined,
  body: string,
  secret: string | undefined,
  nowSeconds: number,
): ReceivedCallback['verification'] {
  if (!secret) return 'no-secret';
  if (!header) return 'missing';
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1;
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return 'malformed';
  if (Math.abs(nowSeconds - t) > 300) return 'expired';
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex')) ? 'ok' : 'mismatch';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** How long a fault lasts: a number of requests, or until an instant of `clock()`. */
export type FaultDuration = { times?: number; untilMs?: number };

const FaultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('fail'), status: z.number().int().min(400).max(599) }),
  z.object({ kind: z.literal('rate-limit'), retryAfterSeconds: z.number().int().min(0).max(86_400) }),
  z.object({ kind: z.literal('slow'), delayMs: z.number().int().min(0).max(120_000) }),
]);
const FaultRequestSchema = z.intersection(
  FaultSchema,
  z.object({ times: z.number().int().min(1).optional(), forSeconds: z.number().min(0).optional() }),
);

/** `npm start` flags: `--platform-fault=fail:503 | rate-limit:30 | slow:2000` and `--platform-fault-times=N`. */
export function parsePlatformFaultFlags(
  argv: ReadonlyArray<string>,
): { fault: PlatformFault; times?: number } | undefined {
  const value = argv.find((a) => a.startsWith('--platform-fault='))?.slice('--platform-fault='.length);
  if (!value) return undefined;
  const [kind, arg] = value.split(':', 2);
  const n = Number(arg);
  const fault: PlatformFault | undefined =
    kind === 'fail' && Number.isInteger(n)
      ? { kind: 'fail', status: n }
      : kind === 'rate-limit' && Number.isInteger(n)
        ? { kind: 'rate-limit', retryAfterSeconds: n }
        : kind === 'slow' && Number.isInteger(n)
          ? { kind: 'slow', delayMs: n }
          : undefined;
  if (!fault)
    throw new Error(`--platform-fault must be fail:<status>, rate-limit:<seconds> or slow:<ms>, got ${value}`);
  const times = Number(
    argv.find((a) => a.startsWith('--platform-fault-times='))?.slice('--platform-fault-times='.length),
  );
  return { fault, ...(Number.isInteger(times) && times > 0 ? { times } : {}) };
}

export class PlatformEmulator {
  readonly received: ReceivedCallback[];
  fault: PlatformFault = { kind: 'none' };
  /** When the current fault ends (requests left, or an instant of `clock()`); absent: until changed. */
  faultDuration: FaultDuration = {};
  /**
   * The emulator's sense of time for `faultDuration.untilMs`. Tests point it at the sandbox's queue
   * clock (`() => sandbox.queues.now()`) so an "outage of an hour" passes as the queue jumps ahead.
   */
  clock: () => number = () => Date.now();
  private server?: http.Server;
  url = '';

  constructor(
    public secret: string | undefined,
    state?: { received: ReceivedCallback[] },
  ) {
    this.received = state?.received ?? [];
  }

  snapshot(): { received: ReceivedCallback[] } {
    return { received: this.received.slice(-1000) };
  }

  /**
   * Sets a fault (`{kind: 'none'}` clears it), optionally for `times` requests or until `clock()` reaches `untilMs`.
   */
  setFault(fault: PlatformFault, duration: FaultDuration = {}): void {
    this.fault = fault;
    this.faultDuration = { ...duration };
  }

  /** The fault for the request being answered now (and counts it down). */
  private currentFault(): PlatformFault {
    const { times, untilMs } = this.faultDuration;
    if (this.fault.kind === 'none') return this.fault;
    if ((untilMs !== undefined && this.clock() >= untilMs) || times === 0) {
      this.setFault({ kind: 'none' });
      return this.fault;
    }
    if (times !== undefined) this.faultDuration.times = times - 1;
    return this.fault;
  }

  /** Callbacks the emulator accepted (verified signature, answered 2xx). */
  accepted(): ReceivedCallback[] {
    return this.received.filter((c) => c.verified && c.answeredWith >= 200 && c.answeredWith < 300);
  }

  /** Accepted callbacks by idempotency id: the number of times each was accepted. */
  acceptedByIdempotencyKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.accepted()) {
      const id = c.headers['idempotency-key'] ?? '(none)';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  reset(): void {
    this.received.length = 0;
    this.setFault({ kind: 'none' });
  }

  async handle(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const fault = this.currentFault();
    if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    const status = fault.kind === 'fail' ? fault.status : fault.kind === 'rate-limit' ? 429 : 202;
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const verification = verifyPlatformSignature(
      headers['x-signature'],
      body,
      this.secret,
      Math.floor(Date.now() / 1000),
    );
    this.received.push({
      at: new Date().toISOString(),
      clockMs: this.clock(),
      method,
      path,
      headers,
      body,
      json,
      verified: verification === 'ok',
      verification,
      answeredWith: status,
    });
    const responseHeaders: Record<string, string> = { 'content-type': 'application/json' };
    if (fault.kind === 'rate-limit') responseHeaders['retry-after'] = String(fault.retryAfterSeconds);
    if (status >= 400)
      return { status, headers: responseHeaders, body: JSON.stringify({ error: 'platform emulator fault' }) };
    if (verification !== 'ok')
      return { status: 401, headers: responseHeaders, body: JSON.stringify({ error: `signature ${verification}` }) };
    return { status, headers: responseHeaders, body: JSON.stringify({ received: true }) };
  }

  /** `finding.comment_*` callbacks, newest first: what a person wrote in Jira about a finding. */
  private commentRows(): string {
    const Comment = z.object({
      type: z.enum(['finding.comment_added', 'finding.comment_updated', 'finding.comment_deleted']),
      finding: z.object({ id: z.string() }),
      issue: z.object({ key: z.string() }),
      comment: z.object({
        id: z.string(),
        author: z.object({ accountId: z.string() }).nullable(),
        body: z.string().optional(),
        visibility: z.object({ type: z.string(), value: z.string() }).optional(),
      }),
    });
    return this.received
      .slice()
      .reverse()
      .flatMap((c) => {
        const parsed = Comment.safeParse(c.json);
        if (!parsed.success) return [];
        const { type, finding, issue, comment } = parsed.data;
        const restricted = comment.visibility ? ` (${comment.visibility.type}: ${comment.visibility.value})` : '';
        return [
          `<tr><td>${escapeHtml(c.at)}</td><td>${escapeHtml(type.replace('finding.comment_', ''))}</td>` +
            `<td>${escapeHtml(finding.id)}</td><td>${escapeHtml(issue.key)}</td>` +
            `<td>${escapeHtml(comment.author?.accountId ?? '—')}</td>` +
            `<td><pre>${escapeHtml((comment.body ?? '(deleted)').slice(0, 2000) + restricted)}</pre></td></tr>`,
        ];
      })
      .join('');
  }

  private page(): string {
    const rows = this.received
      .slice()
      .reverse()
      .map(
        (c) =>
          `<tr><td>${escapeHtml(c.at)}</td><td>${escapeHtml(c.method)} ${escapeHtml(c.path)}</td>` +
          `<td>${c.verified ? 'verified' : `NOT verified (${c.verification})`}</td><td>${c.answeredWith}</td>` +
          `<td><pre>${escapeHtml(c.body.slice(0, 2000))}</pre></td></tr>`,
      )
      .join('');
    const comments = this.commentRows();
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Security platform (emulated)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#172b4d}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #dfe1e6;padding:.4rem;text-align:left;vertical-align:top}
pre{margin:0;white-space:pre-wrap;font-size:12px}</style>
</head><body><h1>Security platform (emulated)</h1>
<p>${this.received.length} callback(s) received from Finding Sync for Jira, ${this.accepted().length} accepted. \
Fault: <code>${escapeHtml(JSON.stringify(this.fault))}</code>. Reload to refresh.</p>
<h2>Comments from Jira</h2>
<table><thead><tr><th>Received</th><th>Event</th><th>Finding</th><th>Issue</th><th>Author</th>\
<th>Comment</th></tr></thead>
<tbody>${comments || '<tr><td colspan="6">No comment callbacks yet.</td></tr>'}</tbody></table>
<h2>Every callback</h2>
<table><thead><tr><th>Received</th><th>Request</th><th>Signature</th><th>Answered</th><th>Body</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5">Nothing yet.</td></tr>'}</tbody></table></body></html>`;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
          const wantsJson = (req.headers.accept ?? '').includes('application/json');
          res.writeHead(200, { 'content-type': wantsJson ? 'application/json' : 'text/html; charset=utf-8' });
          res.end(
            wantsJson
              ? JSON.stringify({ received: this.received, fault: this.fault, faultDuration: this.faultDuration })
              : this.page(),
          );
          return;
        }
        if (req.url === '/__sandbox/fault' && (req.method === 'POST' || req.method === 'PUT')) {
          // Lets a person (or a script) break the platform while `npm start` runs:
          // curl -X POST <url>/__sandbox/fault -d '{"kind":"fail","status":503,"forSeconds":600}'
          let input: unknown;
          try {
            input = JSON.parse(body);
          } catch {
            input = undefined;
          }
          const parsed = FaultRequestSchema.safeParse(input);
          if (!parsed.success) {
            res.writeHead(400, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                error:
                  'Send {kind: "none" | "fail" (status) | "rate-limit" (retryAfterSeconds) | "slow" (delayMs), ' +
                  'times?, forSeconds?}',
                details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
              }),
            );
            return;
          }
          const { times, forSeconds, ...fault } = parsed.data;
          this.setFault(fault, {
            ...(times !== undefined ? { times } : {}),
            ...(forSeconds !== undefined ? { untilMs: this.clock() + forSeconds * 1000 } : {}),
          });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ fault: this.fault, faultDuration: this.faultDuration }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        void this.handle(req.method ?? 'POST', req.url ?? '/', headers, body).then((out) => {
          res.writeHead(out.status, out.headers);
          res.end(out.body);
        });
      });
    });
    await listenOn(this.server, port, host);
    const address = this.server.address();
    this.url = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
