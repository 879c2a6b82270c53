/**
 * `npm start`: the offline Forge sandbox with a seeded demo site. Prints one line per service, then
 * serves until Ctrl-C. State is kept in `.sandbox-data/` (or `--data-dir`); `--fresh` starts over.
 *
 * Ports: `--port <base>` or `PORT=<base>` (default 4100): web trigger base, admin page base + 1,
 * Jira base + 2, platform base + 3. Individual flags: --webtrigger-port, --admin-port, --jira-port,
 * --platform-port. Fault flags for the emulators: --jira-latency-ms=N, --jira-burst-limit=N,
 * --jira-per-issue-limit=jira|off, --jira-search-lag-ms=N (sandbox/jira/README.md) and
 * --platform-fault=fail:<status>|rate-limit:<seconds>|slow:<ms> [--platform-fault-times=N].
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSandbox, REPO_ROOT, Sandbox } from './index';
import { parsePlatformFaultFlags, PlatformEmulator, type ReceivedCallback } from './platform/platform-emulator';
import { parseJiraFaultFlags, startJiraHttpServer } from './jira';
import { startCustomUiServer } from './customui';
import { buildAdminPage } from '../static/admin/build';

interface DemoState {
  secret: string;
  webTriggerUrl?: string;
  platform?: { received: ReceivedCallback[] };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const jiraFlags = parseJiraFaultFlags(argv);
  if (!jiraFlags.ok) throw new Error(jiraFlags.error);
  const platformFault = parsePlatformFaultFlags(argv);
  const { values } = parseArgs({
    args: argv.filter((arg) => !arg.startsWith('--jira-') && !arg.startsWith('--platform-fault')),
    options: {
      port: { type: 'string' },
      'webtrigger-port': { type: 'string' },
      'admin-port': { type: 'string' },
      'jira-port': { type: 'string' },
      'platform-port': { type: 'string' },
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      fresh: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const base = Number(values.port ?? process.env.PORT ?? 4100);
  if (!Number.isInteger(base) || base < 1 || base > 65531)
    throw new Error(`--port/PORT must be a port number, got '${values.port ?? process.env.PORT}'`);
  const port = (flag: string | undefined, offset: number) => (flag ? Number(flag) : base + offset);
  const host = values.host ?? '127.0.0.1';
  const dataDir = path.resolve(values['data-dir'] ?? path.join(REPO_ROOT, '.sandbox-data'));
  if (values.fresh) Sandbox.wipe(dataDir);
  mkdirSync(dataDir, { recursive: true });

  const demoFile = path.join(dataDir, 'demo.json');
  const demo: DemoState = existsSync(demoFile)
    ? (JSON.parse(readFileSync(demoFile, 'utf8')) as DemoState)
    : { secret: randomBytes(32).toString('hex') };

  // Serve the admin page as built from the current sources.
  await buildAdminPage();

  const platform = new PlatformEmulator(demo.secret, demo.platform);
  const platformUrl = await platform.listen(port(values['platform-port'], 3), host);
  if (platformFault)
    platform.setFault(platformFault.fault, platformFault.times !== undefined ? { times: platformFault.times } : {});

  // The manifest's egress entry is `${PLATFORM_ORIGIN}`: point it at the local platform, as a deployer
  // points it at theirs with `PLATFORM_ORIGIN=https://... forge deploy`.
  const sandbox = createSandbox({ dataDir, realtime: true, env: { PLATFORM_ORIGIN: platformUrl } });
  sandbox.jira.faults.set(jiraFlags.settings);

  // The app's own code seeds the demo installation (loaded only now: @forge/api must load after the
  // sandbox has installed the Forge runtime hooks).
  const { seedDemoInstallation } = await import('./demo-seed');
  const seeded = await seedDemoInstallation(sandbox, { secret: demo.secret, platformUrl });
  demo.secret = seeded.secret;
  platform.secret = seeded.secret;

  await sandbox.webTriggers.listen(port(values['webtrigger-port'], 0), host);
  const admin = await startCustomUiServer(sandbox, { port: port(values['admin-port'], 1), host });
  const jira = await startJiraHttpServer(sandbox.jira, { port: port(values['jira-port'], 2), host });
  demo.webTriggerUrl = sandbox.webTriggers.urlFor('ingest-webtrigger');

  const save = () => {
    sandbox.save();
    writeFileSync(
      demoFile,
      JSON.stringify({ secret: demo.secret, webTriggerUrl: demo.webTriggerUrl, platform: platform.snapshot() }),
    );
  };
  save();
  const autosave = setInterval(save, 5000);

  console.log(`Web trigger: ${demo.webTriggerUrl}`);
  console.log(`Admin page: ${admin.url}`);
  console.log(`Jira: ${jira.url}`);
  console.log(`Platform: ${platformUrl}`);
  console.log(`Shared secret: ${demo.secret}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(autosave);
    await Promise.allSettled([admin.close(), jira.close(), platform.close()]);
    await sandbox.close();
    save();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
