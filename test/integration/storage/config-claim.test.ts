import { sandboxClock } from '../../../sandbox/runtime/clock';
import { parseSyncConfig } from '../../../src/domain/config';
import { configRepository } from '../../../src/storage/config-repository';
import { buildSyncConfig } from '../../builders/sync-config';
import { createProbeSandbox } from '../sandbox/probe-sandbox';

/**
 * A configuration save claims the next revision before writing it. A save that crashed after its claim blocks
 * that revision only until the claim's expiry, which is in the claim's value: with lazy TTL expiry (the key kept
 * 600 s past its TTL) the next save still goes through about a minute later, and never two saves of one revision.
 */
describe('configuration revision claim (expiry in the value)', () => {
  it.each([0, 600])('a save crashed after its claim: free ~60 s later (TTL linger %i s)', async (linger) => {
    const sandbox = createProbeSandbox();
    sandbox.kvs.setTtlLinger(linger);
    const parsed = parseSyncConfig(buildSyncConfig());
    if (!parsed.ok) throw new Error('the builder makes a valid configuration');
    const saveRevision0 = (accountId: string) =>
      sandbox.runAsApp(() => configRepository.saveIfRevision(0, parsed.config, { now: new Date(), accountId }));
    const revision = async () => (await sandbox.runAsApp(() => configRepository.load())).revision;

    // Read the stored revision (1 SDK call), claim revision 1 (2): killed before writing the configuration.
    await expect(
      sandbox.runAsApp(() => configRepository.saveIfRevision(0, parsed.config, { now: new Date(), accountId: 'x' }), {
        killAfterSdkCalls: 2,
      }),
    ).rejects.toThrow(/terminated/);
    expect(await revision()).toBe(0);

    sandboxClock.advance(30_000);
    expect(await saveRevision0('too-early')).toMatchObject({ ok: false, current: { revision: 0 } });

    sandboxClock.advance(36_000);
    const answers = await Promise.all([saveRevision0('a'), saveRevision0('b'), saveRevision0('c')]);
    expect(answers.filter((r) => r.ok)).toHaveLength(1);
    expect(await revision()).toBe(1);
  });
});
