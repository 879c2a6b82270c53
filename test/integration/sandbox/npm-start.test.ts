import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../sandbox';

/**
 * `npm start` as a person runs it: five lines, every URL answers, Ctrl-C stops cleanly, state survives,
 * `--jira-port` moves Jira alone.
 */

const LINE = /^(Web trigger|Admin page|Jira|Platform|Shared secret): (\S+)$/;

// As `npm start` runs it: one Node process with tsx's loader. (The `tsx` CLI would add a parent that
// relays Ctrl-C and kills the child outright — exit 130 — if it does not confirm within 30 ms, which a
// busy machine misses.)
function start(args: string[]): Promise<{ child: ChildProcess; lines: Record<string, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'sandbox/start.ts'), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const lines: Record<string, string> = {};
    let buffer = '';
    let errors = '';
    const timer = setTimeout(
      () => reject(new Error(`npm start did not print its five lines in time: ${buffer}${errors}`)),
      60_000,
    );
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        const match = LINE.exec(line.trim());
        if (match) lines[match[1]!] = match[2]!;
      }
      if (Object.keys(lines).length === 5) {
        clearTimeout(timer);
        resolve({ child, lines });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited early with ${code}: ${errors}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

describe('npm start', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'finding-sync-start-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the five lines, serves every URL, stops on Ctrl-C and keeps state across restarts', async () => {
    const args = ['--port', String(port), '--data-dir', dataDir];
    const first = await start([...args, '--fresh']);
    try {
      expect(Object.keys(first.lines)).toEqual(['Web trigger', 'Admin page', 'Jira', 'Platform', 'Shared secret']);
      expect(first.lines['Web trigger']).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/x1/[0-9a-f]+$`));
      expect(first.lines['Shared secret']).toMatch(/^[0-9a-f]{64}$/);
      for (const name of ['Admin page', 'Jira', 'Platform']) {
        const response = await fetch(first.lines[name]!);
        expect({ name, status: response.status }).toEqual({ name, status: 200 });
      }
      const trigger = await fetch(first.lines['Web trigger']!, { method: 'POST', body: '{}' });
      // Answered by the app's own handler (an unsigned post is refused with the app's error envelope).
      expect(trigger.status).not.toBe(404);
      expect(await trigger.json()).toEqual({
        error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
      });
    } finally {
      expect(await stop(first.child)).toBe(0);
    }

    // A single service's port flag (documented in the README) moves that service alone.
    const second = await start([...args, '--jira-port', String(port + 10)]);
    try {
      expect(second.lines['Jira']).toBe(`http://127.0.0.1:${port + 10}`);
      expect((await fetch(second.lines['Jira']!)).status).toBe(200);
      expect(second.lines['Admin page']).toBe(first.lines['Admin page']);
      expect(second.lines['Web trigger']).toBe(first.lines['Web trigger']);
      expect(second.lines['Shared secret']).toBe(first.lines['Shared secret']);
    } finally {
      expect(await stop(second.child)).toBe(0);
    }

    const fresh = await start([...args, '--fresh']);
    try {
      expect(fresh.lines['Web trigger']).not.toBe(first.lines['Web trigger']);
    } finally {
      expect(await stop(fresh.child)).toBe(0);
    }
  }, 180_000);

  it('fires the scheduled trigger on --schedule-every and prints one line per run', async () => {
    const args = ['--port', String(port + 20), '--data-dir', dataDir, '--fresh', '--events-serial'];
    const { child } = await start([...args, '--schedule-every', '2s']);
    try {
      const runs: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no two scheduled runs: ${runs.join(' | ')}`)), 60_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString().split('\n'))
            if (line.startsWith('Scheduled trigger health-check')) runs.push(line.trim());
          if (runs.filter((line) => / ran in /.test(line)).length >= 2) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      // The health check's own answer: how many callbacks and inbox chunks it re-queued (none on a fresh site).
      expect(runs.filter((line) => / ran in /.test(line))[0]).toMatch(
        /^Scheduled trigger health-check ran in \d+ ms: \{"requeuedCallbacks":0,"requeuedChunks":0\}$/,
      );
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 120_000);
});
