import type { Sandbox } from '../../../sandbox';
import { sandboxClock } from '../../../sandbox/runtime/clock';
import { signPayload } from '../../../src/domain/signature';
import { kvs } from '../../../src/storage/kvs-client';
import { buildFinding } from '../../builders/finding';
import {
  batch,
  createFindingsSandbox,
  findingIdsOf,
  jiraIssues,
  kvsKeys,
  quietAppLogs,
  TEST_SECRET,
} from './findings-sandbox';

/**
 * The replay record is tied to acceptance (README "Ingest contract"): a platform's retry of the same signed request
 * after a 503 is accepted; a replay of an accepted request is refused; a crash anywhere inside ingest loses nothing
 * and creates no second issue.
 */
const findings = Array.from({ length: 3 }, (_, i) =>
  buildFinding({ id: `retry-${i}`, asset: { id: 'web', name: 'web-shop' } }),
);
const expectedIds = findings.map((f) => f.id).sort();

type Answer = { status: number; retryAfter?: string; json: { error?: { code: string; message: string } } };

/** One signed request, sent as often as the test likes (same bytes, same signature). */
function signedRequest(sandbox: Sandbox) {
  const body = JSON.stringify(batch(findings));
  const signature = signPayload(TEST_SECRET, body, Math.floor(Date.now() / 1000));
  return async (): Promise<Answer> => {
    const response = await sandbox.requestWebTrigger('ingest-webtrigger', {
      headers: { 'Content-Type': 'application/json', 'X-Signature': signature },
      body,
    });
    const text = response.body?.toString() ?? '';
    const retryAfter = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
    return {
      status: response.status,
      ...(retryAfter ? { retryAfter: String(retryAfter) } : {}),
      json: text ? (JSON.parse(text) as Answer['json']) : {},
    };
  };
}

/** Uses up the minute's KVS write units but `left` (Forge: 4,000 per minute, in 10 KB units, "limits-kvs-ce"). */
async function spendWriteUnits(sandbox: Sandbox, left: number): Promise<void> {
  sandbox.kvs.setQuotaEnforcement(true);
  const big = 'x'.repeat(200 * 1024);
  await sandbox.runAsApp(async () => {
    for (let i = 0; 4000 - sandbox.kvs.quotaUsage().writeUnits - left > 0; i++) {
      const room = 4000 - sandbox.kvs.quotaUsage().writeUnits - left;
      await kvs.set(`spend-${i}`, room > 30 ? big : 1);
    }
  });
  expect(sandbox.kvs.quotaUsage().writeUnits).toBe(4000 - left);
}

describe('ingest replay guard, tied to acceptance', () => {
  beforeAll(quietAppLogs);

  it('a retry of the same signed request after a 503 is accepted; a replay of the accepted one is not', async () => {
    const sandbox = await createFindingsSandbox();
    const send = signedRequest(sandbox);
    // One write unit left: the claim takes it, the store is refused (429), and so is the claim's release.
    await spendWriteUnits(sandbox, 1);
    const refused = await send();
    expect(refused).toMatchObject({
      status: 503,
      retryAfter: '30',
      json: { error: { code: 'TEMPORARILY_UNAVAILABLE' } },
    });
    expect(await kvsKeys(sandbox, 'inbox')).toEqual([]);

    // The quota's minute slides, the unreleased claim lapses (60 s); the signature is still inside its 300 s.
    sandboxClock.advance(61_000);
    const retried = await send();
    expect(retried).toMatchObject({ status: 202, json: { accepted: 3 } });
    const replayed = await send();
    expect(replayed.status).toBe(401);
    const { batchId } = retried.json as { batchId: string };
    expect(replayed.json.error?.message).toBe(
      `This signature was already used: the request it signed was accepted as batch ${batchId}`,
    );
    await sandbox.settle();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(expectedIds);
    await sandbox.close();
  });

  it('a request refused 4xx releases its signature: the same request answers the same 4xx again', async () => {
    const sandbox = await createFindingsSandbox();
    const body = '{"source": "x", "findings": [';
    const signature = signPayload(TEST_SECRET, body, Math.floor(Date.now() / 1000));
    const send = () =>
      sandbox.requestWebTrigger('ingest-webtrigger', {
        headers: { 'Content-Type': 'application/json', 'X-Signature': signature },
        body,
      });
    expect((await send()).status).toBe(400);
    expect((await send()).status).toBe(400);
    expect(await kvsKeys(sandbox, 'replay:')).toEqual([]);
    await sandbox.close();
  });

  it('two copies of one request racing: one accepted, the other told to retry, then refused as a replay', async () => {
    const sandbox = await createFindingsSandbox();
    const send = signedRequest(sandbox);
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 503]);
    const busy = answers.find((a) => a.status === 503)!;
    expect(busy).toMatchObject({ json: { error: { code: 'IN_PROGRESS' } } });
    expect(Number(busy.retryAfter)).toBeGreaterThan(0);
    expect(Number(busy.retryAfter)).toBeLessThanOrEqual(60);
    expect((await send()).status).toBe(401);
    await sandbox.settle();
    expect(findingIdsOf(await jiraIssues(sandbox))).toEqual(expectedIds);
    await sandbox.close();
  });

  it.each([0, 120])(
    'ingest killed after each of its SDK calls (TTL linger %i s): the retry stores what was lost, one issue each',
    async (lingerSeconds) => {
      const total = await (async () => {
        const sandbox = await createFindingsSandbox();
        const before = sandbox.sdkCalls.length;
        expect((await signedRequest(sandbox)()).status).toBe(202);
        const count = sandbox.sdkCalls.slice(before).filter((c) => c.functionKey === 'ingest').length;
        await sandbox.close();
        return count;
      })();
      expect(total).toBeGreaterThan(5);
      for (let kill = 1; kill <= total; kill++) {
        const sandbox = await createFindingsSandbox();
        sandbox.kvs.setTtlLinger(lingerSeconds);
        const send = signedRequest(sandbox);
        sandbox.invoker.crashNextInvocation('ingest', kill);
        const crashed = await send();
        const label = `killed after SDK call ${kill} of ${total}`;
        expect({ label, status: crashed.status }).toEqual({ label, status: 500 });
        // The platform retries the same request until it is answered; a claim left by the crash lapses in 60 s.
        let retry = await send();
        if (retry.status === 503) {
          expect({ label, code: retry.json.error?.code }).toEqual({ label, code: 'IN_PROGRESS' });
          sandboxClock.advance(Number(retry.retryAfter) * 1000);
          retry = await send();
        }
        // 401 only when the crash came after the replay record was written: the request had been accepted.
        const acceptedBefore = retry.status === 401;
        expect({ label, status: retry.status }).toEqual({ label, status: acceptedBefore ? 401 : 202 });
        if (acceptedBefore)
          expect({ label, message: retry.json.error?.message }).toEqual({
            label,
            message: expect.stringContaining('the request it signed was accepted as batch'),
          });
        expect({ label, replay: (await send()).status }).toEqual({ label, replay: 401 });
        await sandbox.settle();
        expect({ label, ids: findingIdsOf(await jiraIssues(sandbox)) }).toEqual({ label, ids: expectedIds });
        // An inbox chunk the crash left without its queue event is the hourly check's, once its grace has passed.
        sandboxClock.advance(16 * 60_000);
        await sandbox.runScheduled('health-check');
        await sandbox.settle();
        expect({ label, ids: findingIdsOf(await jiraIssues(sandbox)) }).toEqual({ label, ids: expectedIds });
        expect({ label, inbox: await kvsKeys(sandbox, 'inbox:') }).toEqual({ label, inbox: [] });
        await sandbox.close();
      }
    },
    600_000,
  );
});
