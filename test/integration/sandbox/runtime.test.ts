import {
  getAppContext,
  webTrigger,
  ExternalEndpointNotAllowedError,
  asApp,
  route,
  fetch as forgeFetch,
} from '@forge/api';
import { kvs, ForgeKvsAPIError } from '@forge/kvs';
import { createProbeSandbox } from './probe-sandbox';
import http from 'node:http';

describe('web triggers', () => {
  it('turns an HTTP request into the Forge event and the dynamic response back into HTTP', async () => {
    const sandbox = createProbeSandbox();
    const response = await sandbox.requestWebTrigger('probe-webtrigger', {
      method: 'POST',
      pathAndQuery: '/?asset=web-shop&asset=api',
      headers: { 'content-type': 'application/json', 'x-signature': 't=1,v1=ab' },
      body: '{"hello":"world"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers['X-Probe']).toEqual(['yes']);
    const event = JSON.parse(response.body);
    expect(event).toMatchObject({
      method: 'POST',
      body: '{"hello":"world"}',
      headers: { 'content-type': ['application/json'], 'x-signature': ['t=1,v1=ab'] },
      queryParameters: { asset: ['web-shop', 'api'] },
    });
  });

  it('refuses payloads over 5 MB without invoking the function', async () => {
    const sandbox = createProbeSandbox();
    const response = await sandbox.requestWebTrigger('probe-webtrigger', {
      body: Buffer.alloc(5 * 1024 * 1024 + 1, 'a'),
    });
    expect(response.status).toBe(413);
    expect(sandbox.invoker.history).toHaveLength(0);
  });

  it('serves the same URL over real HTTP and through webTrigger.getUrl', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.webTriggers.listen(0);
    try {
      const url = await sandbox.runAsApp(() => webTrigger.getUrl('probe-webtrigger'));
      expect(url).toBe(sandbox.webTriggers.urlFor('probe-webtrigger'));
      const response = await fetch(`${url}?x=1`, { method: 'PUT', body: 'raw text', headers: { 'X-Custom': 'A' } });
      expect(response.status).toBe(200);
      const event = await response.json();
      expect(event).toMatchObject({
        method: 'PUT',
        body: 'raw text',
        headers: { 'x-custom': ['A'] },
        queryParameters: { x: ['1'] },
      });
    } finally {
      await sandbox.close();
    }
  });

  it('times a function out after its manifest timeoutSeconds and stops its later SDK calls', async () => {
    const sandbox = createProbeSandbox();
    const response = await sandbox.requestWebTrigger('slow-webtrigger', { body: '' });
    expect(response.status).toBe(504);
    expect(sandbox.invoker.history[0]).toMatchObject({ functionKey: 'slow', outcome: 'timeout' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const late = await sandbox.runAsApp(() => kvs.get('slow:after-timeout'));
    expect(late).toBeUndefined();
  });
});

describe('runtime context', () => {
  it('gives each concurrent invocation its own context', async () => {
    const sandbox = createProbeSandbox();
    const ids = await Promise.all(
      [1, 2, 3].map(() =>
        sandbox.runAsApp(async () => {
          const before = getAppContext().invocationId;
          await new Promise((resolve) => setTimeout(resolve, 10));
          return [before, getAppContext().invocationId];
        }),
      ),
    );
    for (const [before, after] of ids) expect(before).toBe(after);
    expect(new Set(ids.map(([id]) => id)).size).toBe(3);
    const context = await sandbox.runAsApp(async () => getAppContext());
    expect(context.installationAri.installationId).toBe(sandbox.installation.installationId);
    expect(context.invocationRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('fails like Forge outside an invocation', async () => {
    createProbeSandbox();
    expect(() => getAppContext()).toThrow('Forge runtime not found.');
  });
});

describe('egress allowlist from the manifest', () => {
  it('raises the real ExternalEndpointNotAllowedError for an origin the manifest does not list', async () => {
    const sandbox = createProbeSandbox();
    await expect(sandbox.runAsApp(() => forgeFetch('https://evil.example.net/steal'))).rejects.toBeInstanceOf(
      ExternalEndpointNotAllowedError,
    );
    await expect(sandbox.runAsApp(() => forgeFetch('http://allowed.example.com/'))).rejects.toBeInstanceOf(
      ExternalEndpointNotAllowedError,
    );
    expect(sandbox.egressLog.map((e) => e.allowed)).toEqual([false, false]);
  });

  it('lets allowed origins through, including a manifest variable and a wildcard', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const sandbox = createProbeSandbox({ env: { PROBE_ORIGIN: `http://127.0.0.1:${port}` } });
      const text = await sandbox.runAsApp(async () => (await forgeFetch(`http://127.0.0.1:${port}/x`)).text());
      expect(text).toBe('ok');
      await expect(sandbox.runAsApp(() => forgeFetch(`http://127.0.0.1:${port + 1}/x`))).rejects.toBeInstanceOf(
        ExternalEndpointNotAllowedError,
      );
      expect(sandbox.manifest.egress).toContain(`http://127.0.0.1:${port}`);
      const { isEgressAllowed } = await import('../../../sandbox/runtime/egress');
      expect(isEgressAllowed('https://a.wildcard.example.com/p', sandbox.manifest.egress)).toBe(true);
      expect(isEgressAllowed('https://wildcard.example.com/p', sandbox.manifest.egress)).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('KVS through the real @forge/kvs', () => {
  it('stores, queries and raises Forge error codes', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(async () => {
      await kvs.set('a:1', { n: 1 });
      await kvs.set('a:2', { n: 2 });
      await kvs.setSecret('token', 's3cret');
    });
    const results = await sandbox.runAsApp(() =>
      kvs
        .query()
        .where('key', { condition: 'BEGINS_WITH', values: ['a:'] })
        .getMany(),
    );
    expect(results.results.map((r) => r.key)).toEqual(['a:1', 'a:2']);
    expect(await sandbox.runAsApp(() => kvs.getSecret('token'))).toBe('s3cret');
    const error = await sandbox.runAsApp(() => kvs.set('has/slash', 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForgeKvsAPIError);
    expect((error as ForgeKvsAPIError).code).toBe('INVALID_KEY');
    await expect(sandbox.runAsApp(() => kvs.set('kp', 1, { keyPolicy: 'FAIL_IF_EXISTS' }))).resolves.toBeUndefined();
    await expect(sandbox.runAsApp(() => kvs.set('kp', 2, { keyPolicy: 'FAIL_IF_EXISTS' }))).rejects.toBeInstanceOf(
      ForgeKvsAPIError,
    );
  });

  it('answers 429 RATE_LIMIT_EXCEEDED when a test enforces the quota', async () => {
    const sandbox = createProbeSandbox();
    sandbox.kvs.setQuotaEnforcement(true);
    const error = await sandbox
      .runAsApp(async () => {
        for (let i = 0; i < 5000; i++) await kvs.set(`q:${i}`, i);
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForgeKvsAPIError);
    expect((error as ForgeKvsAPIError).responseDetails.status).toBe(429);
  });
});

describe('Jira through the real requestJira', () => {
  it('reaches the emulator as the app and as the invoking user', async () => {
    const sandbox = createProbeSandbox();
    const myself = await sandbox.runAsApp(async () =>
      (await asApp().requestJira(route`/rest/api/3/serverInfo`)).json(),
    );
    expect(myself).toHaveProperty('baseUrl');
    const { asUser } = await import('@forge/api');
    const admin = await sandbox.runAsApp(
      async () => (await asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`)).json(),
      { accountId: sandbox.jira.users.admin },
    );
    expect(admin).toMatchObject({ permissions: { ADMINISTER: { havePermission: true } } });
    const member = await sandbox.runAsApp(
      async () => (await asUser().requestJira(route`/rest/api/3/mypermissions?permissions=ADMINISTER`)).json(),
      { accountId: sandbox.jira.users.member },
    );
    expect(member).toMatchObject({ permissions: { ADMINISTER: { havePermission: false } } });
  });
});

describe('resolvers and scheduled triggers', () => {
  it('calls a @forge/resolver definition with the caller in context', async () => {
    const sandbox = createProbeSandbox();
    const result = await sandbox.callResolver('whoami', {}, { accountId: sandbox.jira.users.member });
    expect(result).toEqual({
      accountId: sandbox.jira.users.member,
      installContext: `ari:cloud:jira::site/${sandbox.installation.cloudId}`,
    });
    await expect(sandbox.callResolver('boom', {}, { accountId: sandbox.jira.users.admin })).rejects.toThrow(
      'resolver failure',
    );
    await expect(sandbox.callResolver('missing', {}, { accountId: sandbox.jira.users.admin })).rejects.toThrow(
      "no definition for 'missing'",
    );
  });

  it('runs a scheduled trigger on demand', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runScheduled('probe-schedule');
    const stored = await sandbox.runAsApp(() => kvs.get('scheduled:last'));
    expect(stored).toMatchObject({ context: { moduleKey: 'probe-schedule', cloudId: sandbox.installation.cloudId } });
  });
});
