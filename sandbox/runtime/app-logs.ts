import { format } from 'node:util';

/**
 * What the app writes to `console` during an invocation. On Forge that output does not reach a
 * terminal: it goes to the app's log store (`forge logs`, the developer console). The sandbox does
 * the same: it keeps the most recent lines per sandbox (`sandbox.appLogs`) and prints them only when
 * asked — `npm start` prints them (as `forge tunnel` does); tests and the benchmark keep them quiet
 * unless `SANDBOX_APP_LOGS=print` is set.
 */

export type AppLogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface AppLogEntry {
  at: number;
  level: AppLogLevel;
  functionKey: string;
  invocationId: string;
  /** The console arguments formatted as `console` formats them (one entry per call). */
  text: string;
}

export const APP_LOG_LEVELS: readonly AppLogLevel[] = ['log', 'info', 'warn', 'error', 'debug'];

/** How many recent entries a sandbox keeps (a benchmark writes thousands). */
export const APP_LOG_CAPACITY = 2_000;

export type AppLogMode = 'print' | 'collect';

export class AppLogStore {
  readonly entries: AppLogEntry[] = [];
  /** Every entry ever written, including those dropped from `entries` (e.g. to count lines in the benchmark). */
  total = 0;

  constructor(readonly mode: AppLogMode) {}

  write(entry: Omit<AppLogEntry, 'text'> & { args: unknown[] }): void {
    const { args, ...rest } = entry;
    const record: AppLogEntry = { ...rest, text: format(...args) };
    this.total += 1;
    this.entries.push(record);
    if (this.entries.length > APP_LOG_CAPACITY) this.entries.splice(0, this.entries.length - APP_LOG_CAPACITY);
    if (this.mode === 'print') {
      // Not console.*: inside an invocation that would come back here.
      const stream = entry.level === 'warn' || entry.level === 'error' ? process.stderr : process.stdout;
      stream.write(`[${record.functionKey}] ${record.text}\n`);
    }
  }
}

/** `print` when the environment asks for it (debugging a test), else the given default. */
export function appLogModeFromEnvironment(fallback: AppLogMode, env: NodeJS.ProcessEnv = process.env): AppLogMode {
  const value = env.SANDBOX_APP_LOGS;
  return value === 'print' || value === 'collect' ? value : fallback;
}
