import type { Sandbox } from './index';
import { ensureAppSigningSecret } from '../src/composition';
import { configRepository } from '../src/storage/config-repository';

/**
 * Seeds the demo installation through the app's own storage (as an admin would through the admin
 * page): the ingest signing secret, and — when nothing is saved yet — a configuration that routes
 * findings to the seeded projects and sends callbacks to the local platform emulator. A saved
 * configuration is kept, except that a callback URL pointing at a previous local emulator port is
 * moved to the current one.
 */
export async function seedDemoInstallation(
  sandbox: Sandbox,
  options: { secret: string; platformUrl: string },
): Promise<{ secret: string }> {
  return sandbox.runAsApp(async () => {
    const secret = await ensureAppSigningSecret({ initial: options.secret });
    const loaded = await configRepository.load();
    if (loaded.revision === 0) {
      const saved = await configRepository.save(
        {
          defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug' },
          mappings: [
            { id: 'operations', match: { assetNamePattern: 'ops-*' }, projectKey: 'OPS', issueTypeName: 'Task' },
          ],
          platform: { baseUrl: options.platformUrl },
        },
        new Date(),
        'sandbox-demo-seed',
      );
      if (!saved.ok) throw new Error(`demo configuration is invalid: ${JSON.stringify(saved.errors)}`);
    } else {
      const current = loaded.config.platform?.baseUrl;
      if (current && /^http:\/\/127\.0\.0\.1:\d+$/.test(current) && current !== options.platformUrl) {
        await configRepository.save(
          { ...loaded.config, platform: { ...loaded.config.platform, baseUrl: options.platformUrl } },
          new Date(),
          'sandbox-demo-seed',
        );
      }
    }
    return { secret };
  });
}
