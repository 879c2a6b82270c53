/**
 * The sandbox's Custom UI server over HTTP: what it serves, the bridge endpoints in front of the
 * app's real admin resolver, `?as=`, and how it rejects bad input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../../sandbox';
import { startCustomUiServer, type CustomUiServer, VIEWER_COOKIE } from '../../sandbox/customui';
import { buildAdminPage } from '../../static/admin/build';
import { createProbeSandbox } from '../integration/sandbox/probe-sandbox';

let sandbox: Sandbox;
let server: CustomUiServer;
let admin: string;
let member: string;
// Its own build, so the browser test's build of static/admin/build never swaps files under it.
const resourceDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'custom-ui-server-')), 'build');

beforeAll(async () => {
  await buildAdminPage({ outDir: resourceDir });
  sandbox = createSandbox({});
  admin = sandbox.jira.users.admin;
  member = sandbox.jira.users.member;
  server = await startCustomUiServer(sandbox, { port: 0, resourceDir });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
  rmSync(path.dirname(resourceDir), { recursive: true, force: true });
});

function at(path: string): string {
  return new URL(path, server.url).toString();
}

function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function cookieFor(accountId: string): string {
  return `${VIEWER_COOKIE}=${encodeURIComponent(accountId)}`;
}

function invoke(body: unknown, init: { cookie?: string; contentType?: string; raw?: string; origin?: string } = {}) {
  return fetch(at('./__sandbox/invoke'), {
    method: 'POST',
    headers: {
      'content-type': init.contentType ?? 'application/json',
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.origin ? { origin: init.origin } : {}),
    },
    body: init.raw ?? JSON.stringify(body),
  });
}

describe('the page', () => {
  it('is served as built, with the bridge script before the bundle and a CSP without inline scripts', async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const bridgeAt = html.indexOf('<script src="./__sandbox/bridge.js"></script>');
    const bundle = /<script src="\.\/(main-[A-Z0-9]+\.js)" defer><\/script>/.exec(html);
    expect(bridgeAt).toBeGreaterThan(-1);
    expect(bundle).not.toBeNull();
    expect(bridgeAt).toBeLessThan(bundle!.index);

    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'"); // manifest: permissions.content.styles
    expect(csp).toContain("connect-src 'self'");

    const js = await fetch(at(`./${bundle![1]}`));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('serves the bridge shim as an external script', async () => {
    const response = await fetch(at('./__sandbox/bridge.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toContain('__bridge');
  });

  it.each([
    ['/../secret.txt'],
    ['/%2e%2e/secret.txt'],
    ['/..%2fsecret.txt'],
    ['/build/../../secret.txt'],
    ['/..\\secret.txt'],
  ])('never serves files outside the resource directory (%s)', async (rawPath) => {
    // A file next to the resource directory, where a path escape would reach.
    writeFileSync(path.join(path.dirname(resourceDir), 'secret.txt'), 'TOP-SECRET');
    // node:http sends the path as written (fetch would normalise the dots away first).
    const { status, body } = await rawGet(rawPath);
    expect([400, 404]).toContain(status);
    expect(body).not.toContain('TOP-SECRET');
  });

  it('refuses methods other than GET and HEAD on resources', async () => {
    const response = await fetch(server.url, { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('?as= chooses who views the page', () => {
  it.each([
    ['admin', () => admin],
    ['member', () => member],
  ])('?as=%s remembers that seeded user in a cookie', async (as, accountId) => {
    const response = await fetch(at(`./?as=${as}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBe(
      `${VIEWER_COOKIE}=${encodeURIComponent(accountId())}; Path=/; HttpOnly; SameSite=Strict`,
    );
  });

  it('takes an accountId as is', async () => {
    const response = await fetch(at('./?as=557058:0000-aaaa'));
    expect(response.headers.get('set-cookie')).toContain(`${VIEWER_COOKIE}=${encodeURIComponent('557058:0000-aaaa')};`);
  });

  it('rejects a value that is neither a seeded user nor an accountId, saying what it accepts', async () => {
    const response = await fetch(at(`./?as=${encodeURIComponent('<script>')}`));
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('is not an accountId');
    expect(text).toContain('admin, member');
  });

  it('answers getContext as the remembered viewer, the admin by default', async () => {
    const asMember = await fetch(at('./__sandbox/context'), { headers: { cookie: cookieFor(member) } });
    expect(asMember.status).toBe(200);
    expect(await asMember.json()).toMatchObject({
      result: { accountId: member, moduleKey: 'admin-page', extension: { type: 'jira:adminPage' } },
    });

    const byDefault = await fetch(at('./__sandbox/context'));
    expect(await byDefault.json()).toMatchObject({ result: { accountId: admin } });
  });

  it('rejects a tampered cookie', async () => {
    const response = await fetch(at('./__sandbox/context'), {
      headers: { cookie: `${VIEWER_COOKIE}=${encodeURIComponent('a b')}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { message: expect.stringContaining('reopen the page with ?as=admin') },
    });
  });
});

describe('POST ./__sandbox/invoke', () => {
  it('runs the real resolver as the admin', async () => {
    const response = await invoke({ functionKey: 'app/status', payload: {} }, { cookie: cookieFor(admin) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      result: {
        ok: true,
        data: { webTriggerUrl: sandbox.webTriggers.urlFor('ingest-webtrigger'), lastHealthRunAt: null },
      },
    });
  });

  it('runs it as the member, whom the resolver refuses', async () => {
    const response = await invoke({ functionKey: 'app/status', payload: {} }, { cookie: cookieFor(member) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ result: { ok: false, error: { code: 'FORBIDDEN' } } });
  });

  it("passes on the app's own answer for a function key it does not have (NOT_FOUND)", async () => {
    const response = await invoke({ functionKey: 'app/no-such-thing', payload: {} });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ result: { ok: false, error: { code: 'NOT_FOUND' } } });
  });

  it("turns a resolver that throws into HTTP 500 with its message (the probe app's `boom`)", async () => {
    const probe = createProbeSandbox();
    const probeServer = await startCustomUiServer(probe, { port: 0, resourceDir });
    try {
      const response = await fetch(new URL('./__sandbox/invoke', probeServer.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ functionKey: 'boom', payload: {} }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: { message: "The resolver failed for 'boom': resolver failure" },
      });
    } finally {
      await probeServer.close();
      await probe.close();
    }
  });

  it.each([
    ['a missing functionKey', { payload: {} }, 'functionKey'],
    ['a functionKey that is not a string', { functionKey: 42 }, 'functionKey: functionKey must be a string'],
    ['an empty functionKey', { functionKey: '' }, 'functionKey: functionKey is empty'],
    ['an unknown field', { functionKey: 'app/status', metadata: {} }, 'metadata'],
    ['a body that is not an object', ['app/status'], '(body)'],
  ])('rejects %s with 400 and the zod issue', async (_case, body, expected) => {
    const response = await invoke(body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: { message: string; details: unknown[] } };
    expect(answer.error.message).toContain(expected);
    expect(answer.error.details.length).toBeGreaterThan(0);
  });

  it('rejects a body that is not JSON (400), not JSON-typed (415), or over 500 KB (413)', async () => {
    expect((await invoke(undefined, { raw: '{"functionKey":' })).status).toBe(400);
    expect(
      (await invoke(undefined, { raw: 'functionKey=app/status', contentType: 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(415);
    const big = await invoke({ functionKey: 'app/status', payload: { blob: 'x'.repeat(500 * 1024) } });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { message: expect.stringContaining("Forge's limit") } });
  });

  it('refuses a POST from another origin', async () => {
    const response = await invoke({ functionKey: 'app/status' }, { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
  });

  it('answers only POST', async () => {
    const response = await fetch(at('./__sandbox/invoke'));
    expect(response.status).toBe(405);
  });
});
