/**
 * The command line of `npm start` (sandbox/start.ts), parsed without side effects and with light
 * imports only, so that `--help` and a bad argument answer before the sandbox is loaded.
 */
import { parseArgs } from 'node:util';
import { parseEventFlags, type DeliverySchedule } from './events/product-event-dispatcher';
import { parseJiraFaultFlags, type JiraFaultSettings } from './jira/faults';
import { parsePlatformFaultFlags, type PlatformFault } from './platform/platform-emulator';

export const START_USAGE = `usage: npm start -- [options]

Runs the app in the offline Forge sandbox with a seeded demo Jira site, until Ctrl-C.

  --fresh                     start over (wipes the data directory)
  --data-dir <dir>            where state is kept (default .sandbox-data/)
  --host <address>            address to listen on (default 127.0.0.1)
  --port <base>               base port, also PORT=<base> (default 4100): web trigger = base,
                              admin page = base+1, Jira = base+2, platform = base+3
  --webtrigger-port <n>       --admin-port <n>   --jira-port <n>   --platform-port <n>
                              one service's port, overriding the base
  --jira-latency-ms <n>       delay every Jira answer
  --jira-burst-limit <n>      Jira's burst limit, requests per second
  --jira-per-issue-limit jira|off
  --jira-search-lag-ms <n>    JQL search index lag
  --platform-fault fail:<status>|rate-limit:<seconds>|slow:<ms>   [--platform-fault-times <n>]
  --schedule-every <n>s|m|h   fire every scheduled trigger this often instead of its manifest interval
                              (e.g. 30s); each run prints one line
  --events-serial             deliver Jira product events one at a time, in order, never twice
                              (default: 8 at a time, shuffled, 10 % twice, as Forge may)
  --events-seed <n>           the seed of that shuffled schedule (default 11)
  --kvs-ttl-linger <seconds>  lazy TTL: expired KVS values stay readable up to that much longer
                              (Forge documents TTL, not how promptly expired values disappear)
  --seed-history <findings>   add a busy installation's 30-day history of that many findings
                              (health counters, dead letters, dead callbacks), e.g. 1000000
  -h, --help                  print this and exit`;

export type ServiceName = 'webtrigger' | 'admin' | 'jira' | 'platform';

export interface ServicePort {
  service: ServiceName;
  port: number;
  /** The flag that sets this port alone, e.g. `--jira-port`. */
  flag: string;
}

export interface StartOptions {
  host: string;
  base: number;
  ports: Record<ServiceName, ServicePort>;
  dataDir: string | undefined;
  fresh: boolean;
  /** Findings of generated 30-day history to add (sandbox/seed-history.ts). */
  seedHistory?: number;
  jiraFaults: Partial<JiraFaultSettings>;
  platformFault: { fault: PlatformFault; times?: number } | undefined;
  /** `--schedule-every`: every scheduled trigger's period in ms instead of the manifest's interval. */
  scheduleEveryMs?: number;
  /** `--kvs-ttl-linger`: expired KVS values linger up to this many seconds (lazy TTL fault mode). */
  kvsTtlLingerSeconds?: number;
  /** How Jira product events reach the app's triggers (`--events-serial`, `--events-seed`). */
  eventSchedule: DeliverySchedule;
}

export type StartCommand = { kind: 'help' } | { kind: 'run'; options: StartOptions };

/** A bad command line: the message is for the person who typed it. */
export class StartUsageError extends Error {}

const OFFSETS: Record<ServiceName, number> = { webtrigger: 0, admin: 1, jira: 2, platform: 3 };

function portNumber(value: string, what: string, max = 65535): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1 || n > max)
    throw new StartUsageError(`${what} must be a port number (1–${max}), got '${value}'`);
  return n;
}

export function parseStartArgs(argv: string[], env: NodeJS.ProcessEnv): StartCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string' },
        'webtrigger-port': { type: 'string' },
        'admin-port': { type: 'string' },
        'jira-port': { type: 'string' },
        'platform-port': { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        fresh: { type: 'boolean' },
        'jira-latency-ms': { type: 'string' },
        'jira-burst-limit': { type: 'string' },
        'jira-per-issue-limit': { type: 'string' },
        'jira-search-lag-ms': { type: 'string' },
        'platform-fault': { type: 'string' },
        'platform-fault-times': { type: 'string' },
        'seed-history': { type: 'string' },
        'schedule-every': { type: 'string' },
        'events-serial': { type: 'boolean' },
        'events-seed': { type: 'string' },
        'kvs-ttl-linger': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new StartUsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };

  const str = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const baseText = str('port') ?? env.PORT;
  const base = baseText === undefined ? 4100 : portNumber(baseText, str('port') ? '--port' : 'PORT', 65532);
  const ports = {} as Record<ServiceName, ServicePort>;
  for (const service of Object.keys(OFFSETS) as ServiceName[]) {
    const flag = `--${service}-port`;
    const own = str(`${service}-port`);
    ports[service] = { service, flag, port: own ? portNumber(own, flag) : base + OFFSETS[service] };
  }

  const jiraArgs = ['jira-latency-ms', 'jira-burst-limit', 'jira-per-issue-limit', 'jira-search-lag-ms'].flatMap(
    (name) => (str(name) === undefined ? [] : [`--${name}=${str(name)}`]),
  );
  const jira = parseJiraFaultFlags(jiraArgs);
  if (!jira.ok) throw new StartUsageError(jira.error);
  const platformArgs = ['platform-fault', 'platform-fault-times'].flatMap((name) =>
    str(name) === undefined ? [] : [`--${name}=${str(name)}`],
  );
  let platformFault: StartOptions['platformFault'];
  try {
    platformFault = parsePlatformFaultFlags(platformArgs);
  } catch (error) {
    throw new StartUsageError((error as Error).message);
  }

  const seedText = str('seed-history');
  const seedHistory = seedText === undefined ? undefined : Number(seedText);
  if (seedHistory !== undefined && (!Number.isInteger(seedHistory) || seedHistory < 1 || seedHistory > 10_000_000))
    throw new StartUsageError(`--seed-history takes a number of findings from 1 to 10000000, not "${seedText}"`);

  const scheduleText = str('schedule-every');
  const scheduleEveryMs = scheduleText === undefined ? undefined : parseDuration(scheduleText);

  const lingerText = str('kvs-ttl-linger');
  const kvsTtlLingerSeconds = lingerText === undefined ? undefined : Number(lingerText);
  if (kvsTtlLingerSeconds !== undefined && !(/^\d+$/.test(lingerText!) && kvsTtlLingerSeconds <= 86_400))
    throw new StartUsageError(`--kvs-ttl-linger takes whole seconds from 0 to 86400, not "${lingerText}"`);

  const eventArgs = [
    ...(values['events-serial'] === true ? ['--events-serial'] : []),
    ...(str('events-seed') === undefined ? [] : [`--events-seed=${str('events-seed')}`]),
  ];
  const events = parseEventFlags(eventArgs);
  if (!events.ok) throw new StartUsageError(events.error);

  return {
    kind: 'run',
    options: {
      ...(seedHistory !== undefined ? { seedHistory } : {}),
      ...(scheduleEveryMs !== undefined ? { scheduleEveryMs } : {}),
      ...(kvsTtlLingerSeconds !== undefined ? { kvsTtlLingerSeconds } : {}),
      eventSchedule: events.schedule,
      host: str('host') ?? '127.0.0.1',
      base,
      ports,
      dataDir: str('data-dir'),
      fresh: values.fresh === true,
      jiraFaults: jira.settings,
      platformFault,
    },
  };
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1h`: from one second to one week. */
function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(text);
  const ms = match ? Number(match[1]) * DURATION_UNITS_MS[match[2]!]! : NaN;
  if (!Number.isSafeInteger(ms) || ms < 1000 || ms > 7 * 24 * 3_600_000)
    throw new StartUsageError(
      `--schedule-every takes a period such as 30s, 5m or 1h (1 second to 1 week), not "${text}"`,
    );
  return ms;
}

/** What to print when a service's port is taken: the port, and the two ways to choose another. */
export function portInUseMessage(taken: ServicePort, options: Pick<StartOptions, 'base'>): string {
  return `port ${taken.port} is in use — try PORT=${options.base + 100} or ${taken.flag} ${taken.port + 100}`;
}
