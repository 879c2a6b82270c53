import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../sandbox';

/** The command-line surface of `npm start` and `npm run send`: usage, bad arguments, a taken port. */

// Each case spawns a fresh Node + tsx process: seconds on an idle machine, far more on a busy one.
const SPAWN_TIMEOUT_MS = 120_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runTool(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, script), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: SPAWN_TIMEOUT_MS - 5_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const START = 'sandbox/start.ts';
const SEND = 'sandbox/tools/send-findings.ts';

function occupyPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

describe('command lines', () => {
  it.each([
    ['npm start -- --help', START, ['--help'], /^usage: npm start -- \[options\]/],
    ['npm start -- -h', START, ['-h'], /--jira-port <n>/],
    ['npm run send -- --help', SEND, ['--help'], /^usage: npm run send -- <file\.json\|file\.sarif>/],
  ])(
    '%s prints usage on stdout and exits 0',
    async (_name, script, args, usage) => {
      const result = await runTool(script, args);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(usage);
    },
    SPAWN_TIMEOUT_MS,
  );

  it.each([
    ['npm start', ['--no-such-flag'], START, /^npm start: Unknown option '--no-such-flag'/],
    ['npm start', ['--jira-port', 'lots'], START, /^npm start: --jira-port must be a port number/],
    ['npm start', ['--jira-typo=1'], START, /^npm start: Unknown option '--jira-typo'/],
    ['npm start', ['--schedule-every', '10'], START, /^npm start: --schedule-every takes a period such as 30s/],
    ['npm start', ['--kvs-ttl-linger', 'soon'], START, /^npm start: --kvs-ttl-linger takes whole seconds/],
    ['npm run send', ['--no-such-flag'], SEND, /^send: Unknown option '--no-such-flag'/],
    ['npm run send', [], SEND, /^send: no file given/],
  ])(
    '%s %j is refused with a message and the usage, exit 2, no stack trace',
    async (_name, args, script, message) => {
      const result = await runTool(script, args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('usage: ');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'npm start with a taken port prints one line naming it and how to choose another, exit 1, nothing written',
    async () => {
      const taken = await occupyPort();
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'finding-sync-cli-'));
      try {
        const base = taken.port - 2; // Jira = base + 2 is the taken one
        const result = await runTool(START, ['--data-dir', dataDir], { PORT: String(base) });
        expect(result.code).toBe(1);
        expect(result.stderr.trim()).toBe(
          `port ${taken.port} is in use — try PORT=${base + 100} or --jira-port ${taken.port + 100}`,
        );
        expect(result.stdout).toBe('');
        expect(readdirSync(dataDir)).toEqual([]);
      } finally {
        await taken.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});
