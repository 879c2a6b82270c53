import { asApp, asUser, route, webTrigger } from '@forge/api';
import { Queue } from '@forge/events';
import { kvs } from '@forge/kvs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../sandbox';
import { createProbeSandbox } from './probe-sandbox';

/**
 * The sandbox stands in for Forge's side of an internal contract: which `(target, path)` each SDK
 * call produces. This test pins that contract for the @forge/* versions in package.json, so an
 * upgrade that changes it fails here, loudly, instead of silently bypassing the sandbox.
 */
describe('SDK → __forge_fetch__ contract', () => {
  it('maps each SDK call the app uses to the expected target and path', async () => {
    const sandbox = createProbeSandbox();
    await sandbox.runAsApp(
      async () => {
        await asApp().requestJira(route`/rest/api/3/serverInfo`);
        await asUser().requestJira(route`/rest/api/3/myself`);
        await kvs.set('contract:key', 1);
        await kvs.get('contract:key');
        await kvs.delete('contract:key');
        await kvs
          .query()
          .where('key', { condition: 'BEGINS_WITH', values: ['contract:'] })
          .getMany();
        await kvs.batchSet([{ key: 'contract:b', value: 1 }]);
        await kvs.transact().set('contract:t', 1).execute();
        await kvs.setSecret('contract:secret', 'x');
        await kvs.getSecret('contract:secret');
        await new Queue({ key: 'probe-queue' }).push({ body: { id: 'contract' } });
        await webTrigger.getUrl('probe-webtrigger');
      },
      { accountId: sandbox.jira.users.admin },
    );
    expect(sandbox.sdkCalls.map(({ target, method, path }) => `${target} ${method} ${path}`)).toEqual([
      'fpp:app:jira GET /rest/api/3/serverInfo',
      'fpp:user:jira GET /rest/api/3/myself',
      'kvs:app:kvs POST /api/v1/set',
      'kvs:app:kvs POST /api/v1/get',
      'kvs:app:kvs POST /api/v1/delete',
      'kvs:app:kvs POST /api/v1/query',
      'kvs:app:kvs POST /api/v1/batch/set',
      'kvs:app:kvs POST /api/v1/transaction',
      'kvs:app:kvs POST /api/v1/secret/set',
      'kvs:app:kvs POST /api/v1/secret/get',
      'fpp:app:stargate POST /webhook/queue/publish/{contextAri}/{environmentId}/{appId}/{appVersion}',
      'fpp:app:stargate POST /graphql',
    ]);
    expect(sandbox.sdkCalls.every((c) => c.status < 300)).toBe(true);
  });

  it('pins the @forge/* versions this contract was recorded with', () => {
    const versions = Object.fromEntries(
      ['api', 'kvs', 'events', 'resolver', 'bridge'].map((name) => [
        name,
        (
          JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/@forge', name, 'package.json'), 'utf8')) as {
            version: string;
          }
        ).version,
      ]),
    );
    expect(versions).toEqual({ api: '8.3.0', kvs: '1.6.5', events: '3.0.8', resolver: '2.0.1', bridge: '7.2.0' });
  });
});
