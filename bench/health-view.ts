import type { Sandbox } from '../sandbox';

/**
 * The cost of one Health page view (health/get and callbacks/health, as the tab loads them) at the
 * history the sandbox holds: KVS requests, KVS read units and wall time. The first view loads the
 * app's modules and is reported separately (`coldMs`); the figures are the median of 5 warm views.
 */
export async function measureHealthView(
  sandbox: Sandbox,
): Promise<{ kvsRequests: number; readUnits: number; ms: number; coldMs: number; counts: unknown }> {
  const admin = sandbox.jira.users.admin;
  const view = async () => {
    sandbox.kvs.counters.reset();
    const started = performance.now();
    const [health] = await Promise.all([
      sandbox.callResolver('health/get', {}, { accountId: admin }),
      sandbox.callResolver('callbacks/health', {}, { accountId: admin }),
    ]);
    const ms = performance.now() - started;
    const { reads, writes, readUnits } = sandbox.kvs.counters;
    return {
      kvsRequests: reads + writes,
      readUnits,
      ms,
      health: health as { ok: boolean; data?: { counts: unknown } },
    };
  };
  const cold = await view();
  const warm = [];
  for (let i = 0; i < 5; i++) warm.push(await view());
  warm.sort((a, b) => a.ms - b.ms);
  const median = warm[2]!;
  return {
    kvsRequests: median.kvsRequests,
    readUnits: median.readUnits,
    ms: Math.round(median.ms),
    coldMs: Math.round(cold.ms),
    counts: median.health.data?.counts ?? null,
  };
}
