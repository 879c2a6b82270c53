/**
 * `npm start`: the offline Forge sandbox with a seeded demo site. Prints one line per service, then
 * serves until Ctrl-C. State is kept in `.sandbox-data/` (or `--data-dir`); `--fresh` starts over.
 * The options (`npm start -- --help`) are parsed in start-options.ts. A port that is taken is
 * reported in one line before anything is started or written, and the exit code is 1.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ReceivedCallback } from './platform/platform-emulator';
import { startSchedule } from './scheduler';
import {
  parseStartArgs,
  portInUseMessage,
  START_USAGE,
  StartUsageError,
  type ServicePort,
  type StartOptions,
} from './start-options';

interface DemoState {
  secret: string;
  webTriggerUrl?: string;
  platform?: { received: ReceivedCallback[] };
}

/** Thrown when a service cannot bind its port; `main` prints the message alone. */
class PortInUseError extends Error {}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Resolves false when something already listens on `port` (checked before anything is started). */
function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => (isAddressInUse(error) ? resolve(false) : reject(error)));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function bind<T>(service: ServicePort, options: StartOptions, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(portInUseMessage(service, options));
    throw error;
  }
}

const COMPACT_AT_JOURNAL_BYTES = 8 * 1024 * 1024;

function formatPeriod(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

async function main(): Promise<void> {
  const command = parseStartArgs(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    console.log(START_USAGE);
    return;
  }
  const options = command.options;
  const { host, ports } = options;
  for (const service of Object.values(ports)) {
    if (!(await portIsFree(service.port, host))) throw new PortInUseError(portInUseMessage(service, options));
  }
  // Loaded only now, so that --help and refusals answer at once.
  const { createSandbox, REPO_ROOT, Sandbox } = await import('./index');
  const { PlatformEmulator } = await import('./platform/platform-emulator');
  const { startJiraHttpServer } = await import('./jira');
  const { startCustomUiServer } = await import('./customui');
  const { buildAdminPage } = await import('../static/admin/build');

  const dataDir = path.resolve(options.dataDir ?? path.join(REPO_ROOT, '.sandbox-data'));
  if (options.fresh) Sandbox.wipe(dataDir);
  mkdirSync(dataDir, { recursive: true });

  const demoFile = path.join(dataDir, 'demo.json');
  const demo: DemoState = existsSync(demoFile)
    ? (JSON.parse(readFileSync(demoFile, 'utf8')) as DemoState)
    : { secret: randomBytes(32).toString('hex') };

  // Serve the admin page as built from the current sources.
  await buildAdminPage();

  const platform = new PlatformEmulator(demo.secret, demo.platform);
  const platformUrl = await bind(ports.platform, options, () => platform.listen(ports.platform.port, host));
  const { platformFault } = options;
  if (platformFault)
    platform.setFault(platformFault.fault, platformFault.times !== undefined ? { times: platformFault.times } : {});

  // The manifest's egress entry is `${PLATFORM_ORIGIN}`: point it at the local platform, as a deployer
  // points it at theirs with `PLATFORM_ORIGIN=https://... forge deploy`.
  const sandbox = createSandbox({
    dataDir,
    realtime: true,
    appLogs: 'print',
    env: { PLATFORM_ORIGIN: platformUrl },
  });
  sandbox.jira.faults.set(options.jiraFaults);
  sandbox.productEvents.setSchedule(options.eventSchedule);
  if (options.kvsTtlLingerSeconds !== undefined) sandbox.kvs.setTtlLinger(options.kvsTtlLingerSeconds);

  // The app's own code seeds the demo installation (loaded only now: @forge/api must load after the
  // sandbox has installed the Forge runtime hooks).
  const { replayed, tornTail, jiraInFlight } = sandbox.recovery;
  if (replayed > 0 || tornTail)
    console.log(
      `State: ${replayed} journal entries replayed since the last snapshot` +
        (tornTail ? ' (the last write, cut short by a crash, was dropped: its call never returned)' : ''),
    );
  await sandbox.jiraCaughtUp;
  if (jiraInFlight > 0)
    console.log(
      `Jira: finished ${jiraInFlight} write request${jiraInFlight === 1 ? '' : 's'} it had received before the ` +
        'crash (their answers went nowhere: the app that sent them had died)',
    );

  const { seedDemoInstallation } = await import('./demo-seed');
  const seeded = await seedDemoInstallation(sandbox, { secret: demo.secret, platformUrl });
  demo.secret = seeded.secret;
  platform.secret = seeded.secret;
  if (options.seedHistory !== undefined) {
    const { seedHistory } = await import('./seed-history');
    const history = await seedHistory(sandbox, { findings: options.seedHistory });
    const { findings, days, deadLetters, deadCallbacks } = history;
    console.log(
      `History: ${findings} findings over ${days} days, ${deadLetters} dead letters, ${deadCallbacks} dead callbacks`,
    );
  }

  await bind(ports.webtrigger, options, () => sandbox.webTriggers.listen(ports.webtrigger.port, host));
  const admin = await bind(ports.admin, options, () => startCustomUiServer(sandbox, { port: ports.admin.port, host }));
  const jira = await bind(ports.jira, options, () =>
    startJiraHttpServer(sandbox.jira, { port: ports.jira.port, host }),
  );
  demo.webTriggerUrl = sandbox.webTriggers.urlFor('ingest-webtrigger');

  // The platform's received callbacks and the demo's secret (the app's state is in the sandbox's journal).
  const saveDemo = () => {
    writeFileSync(
      `${demoFile}.tmp`,
      JSON.stringify({ secret: demo.secret, webTriggerUrl: demo.webTriggerUrl, platform: platform.snapshot() }),
    );
    renameSync(`${demoFile}.tmp`, demoFile);
  };
  const save = () => {
    sandbox.save();
    saveDemo();
  };
  save();
  // Every KVS, queue and Jira write is journalled before it returns. Compaction (a whole snapshot, about
  // a second for a few thousand issues) runs at start-up and when the journal has grown past 8 MB.
  const autosave = setInterval(saveDemo, 5000);
  const compaction = setInterval(() => {
    if ((sandbox.journalStats?.bytes ?? 0) > COMPACT_AT_JOURNAL_BYTES) sandbox.save();
  }, 60_000);

  console.log(`Web trigger: ${demo.webTriggerUrl}`);
  console.log(`Admin page: ${admin.url}`);
  console.log(`Jira: ${jira.url}`);
  console.log(`Platform: ${platformUrl}`);
  console.log(`Shared secret: ${demo.secret}`);

  const schedule = startSchedule({
    triggers: sandbox.manifest.scheduledTriggers,
    run: (key) => sandbox.runScheduled(key),
    report: (line) => console.log(line),
    ...(options.scheduleEveryMs !== undefined ? { everyMs: options.scheduleEveryMs } : {}),
  });
  for (const [key, period] of Object.entries(schedule.periods))
    console.log(`Scheduled trigger ${key}: every ${formatPeriod(period)}, first run in ${formatPeriod(period)}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(autosave);
    clearInterval(compaction);
    schedule.stop();
    await Promise.allSettled([admin.close(), jira.close(), platform.close()]);
    await sandbox.close();
    save();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  if (error instanceof StartUsageError) {
    console.error(`npm start: ${error.message}\n\n${START_USAGE}`);
    process.exit(2);
  }
  if (error instanceof PortInUseError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
