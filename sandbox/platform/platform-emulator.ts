import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

/**
 * The security platform's side, emulated: receives the app's signed callbacks at any path, checks
 * the `X-Signature` header (`t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`) with the shared
 * secret, and records each one, verified or not. `GET /` shows them (HTML, or JSON when asked with
 * `Accept: application/json`). Tests and `npm start` flags can make it fail, slow down or answer 429.
 * Written independently of the app's own signing code, so a test that passes proves both agree.
 */

export interface ReceivedCallback {
  at: string;
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

export function verifyPlatformSignature(header: string | undefined, body: string, secret: string | undefined, nowSeconds: number): ReceivedCallback['verification'] {
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

export class PlatformEmulator {
  readonly received: ReceivedCallback[];
  fault: PlatformFault = { kind: 'none' };
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

  async handle(method: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const fault = this.fault;
    if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    const status = fault.kind === 'fail' ? fault.status : fault.kind === 'rate-limit' ? 429 : 202;
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const verification = verifyPlatformSignature(headers['x-signature'], body, this.secret, Math.floor(Date.now() / 1000));
    this.received.push({ at: new Date().toISOString(), method, path, headers, body, json, verified: verification === 'ok', verification, answeredWith: status });
    const responseHeaders: Record<string, string> = { 'content-type': 'application/json' };
    if (fault.kind === 'rate-limit') responseHeaders['retry-after'] = String(fault.retryAfterSeconds);
    if (status >= 400) return { status, headers: responseHeaders, body: JSON.stringify({ error: 'platform emulator fault' }) };
    if (verification !== 'ok') return { status: 401, headers: responseHeaders, body: JSON.stringify({ error: `signature ${verification}` }) };
    return { status, headers: responseHeaders, body: JSON.stringify({ received: true }) };
  }

  private page(): string {
    const rows = this.received
      .slice()
      .reverse()
      .map(
        (c) =>
          `<tr><td>${escapeHtml(c.at)}</td><td>${escapeHtml(c.method)} ${escapeHtml(c.path)}</td><td>${c.verified ? 'verified' : `NOT verified (${c.verification})`}</td><td>${c.answeredWith}</td><td><pre>${escapeHtml(c.body.slice(0, 2000))}</pre></td></tr>`,
      )
      .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Security platform (emulated)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#172b4d}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dfe1e6;padding:.4rem;text-align:left;vertical-align:top}pre{margin:0;white-space:pre-wrap;font-size:12px}</style>
</head><body><h1>Security platform (emulated)</h1><p>${this.received.length} callback(s) received from Finding Sync for Jira. Reload to refresh.</p>
<table><thead><tr><th>Received</th><th>Request</th><th>Signature</th><th>Answered</th><th>Body</th></tr></thead><tbody>${rows || '<tr><td colspan="5">Nothing yet.</td></tr>'}</tbody></table></body></html>`;
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
          res.end(wantsJson ? JSON.stringify({ received: this.received }) : this.page());
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        void this.handle(req.method ?? 'POST', req.url ?? '/', headers, body).then((out) => {
          res.writeHead(out.status, out.headers);
          res.end(out.body);
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
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
