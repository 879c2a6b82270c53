import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Installation } from '../runtime/context';
import type { KvsKeyspace, KvsState, StoredItem } from '../kvs';
import type { JiraState, JiraWrite } from '../jira';
import type { ServiceRequest } from '../http/types';
import type { JiraCaller } from '../runtime/forge-fetch';
import type { QueuedEvent, QueueState } from '../queue/queue-broker';
import type { WebTriggerState } from '../webtrigger/web-trigger-gateway';

/**
 * The sandbox's durable state: a snapshot (`state.json`) plus an append-only journal (`journal.log`,
 * JSON lines of changes) written before the call that made the change returns. Start-up replays
 * the journal over the snapshot and compacts both into a new snapshot; so does `save()` (periodically
 * in `npm start`). Each entry holds the new value itself (a KVS item, a whole Jira issue, a queued
 * event), so replaying a journal over a snapshot that already contains it changes nothing: a crash
 * between writing the snapshot and emptying the journal is harmless.
 *
 * Writes are plain `write(2)` calls without fsync: they survive the process being killed (the data is
 * in the kernel), not the machine losing power.
 */

export const SNAPSHOT_FILE = 'state.json';
export const JOURNAL_FILE = 'journal.log';

export interface SavedState {
  version: 1;
  installation: Installation;
  kvs: KvsState;
  jira: JiraState;
  queues: QueueState;
  webtriggers: WebTriggerState;
  /**
   * Jira requests the app had sent when the process died, not yet finished by Jira (absent: none). Jira is
   * another service: a request it received is finished even though its caller died; start-up finishes them.
   */
  jiraInFlight?: JiraInFlight[];
}

/** A write request that reached Jira (journalled on arrival, before Jira works on it). */
export interface JiraInFlight {
  id: string;
  request: ServiceRequest;
  caller: JiraCaller;
}

export type JournalEntry =
  | { t: 'kvs'; ks: KvsKeyspace; key: string; item: StoredItem | null }
  | { t: 'jira'; sequence: JiraWrite['sequence']; issues: JiraWrite['issues']; req?: string }
  | { t: 'jira-received'; req: JiraInFlight }
  | { t: 'jira-answered'; id: string }
  | { t: 'queue-put'; event: QueuedEvent }
  | { t: 'queue-done'; eventId: string }
  | { t: 'webtriggers'; ids: Record<string, string> };

const ItemSchema = z.looseObject({ createdAt: z.number(), updatedAt: z.number(), expiresAt: z.number().optional() });

const EntrySchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('kvs'),
    ks: z.string().regex(/^(keys|secrets|entity:.+)$/),
    key: z.string(),
    item: ItemSchema.nullable(),
  }),
  z.object({
    t: z.literal('jira'),
    sequence: z.looseObject({ issueId: z.number(), commentId: z.number(), historyId: z.number() }),
    issues: z.array(z.object({ id: z.string(), issue: z.looseObject({ id: z.string(), key: z.string() }).nullable() })),
    req: z.string().optional(),
  }),
  z.object({
    t: z.literal('jira-received'),
    req: z.object({
      id: z.string(),
      request: z.object({
        method: z.string(),
        path: z.string(),
        headers: z.record(z.string(), z.string()),
        body: z.string().optional(),
      }),
      caller: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('app') }),
        z.object({ kind: z.literal('user'), accountId: z.string() }),
      ]),
    }),
  }),
  z.object({ t: z.literal('jira-answered'), id: z.string() }),
  z.object({
    t: z.literal('queue-put'),
    event: z.looseObject({ eventId: z.string(), queueName: z.string(), deliverAt: z.number() }),
  }),
  z.object({ t: z.literal('queue-done'), eventId: z.string() }),
  z.object({ t: z.literal('webtriggers'), ids: z.record(z.string(), z.string()) }),
]);

export interface LoadedState {
  state: SavedState | undefined;
  /** Journal entries applied over the snapshot. */
  replayed: number;
  /** A last line cut short by the crash (ignored: its call never returned). */
  tornTail: boolean;
}

/** Reads the snapshot and replays the journal over it; undefined state when there is neither. */
export function loadState(dir: string): LoadedState {
  const snapshotFile = path.join(dir, SNAPSHOT_FILE);
  const journalFile = path.join(dir, JOURNAL_FILE);
  const state = existsSync(snapshotFile) ? (JSON.parse(readFileSync(snapshotFile, 'utf8')) as SavedState) : undefined;
  if (!existsSync(journalFile)) return { state, replayed: 0, tornTail: false };
  const lines = readFileSync(journalFile, 'utf8').split('\n');
  const last = lines.pop(); // '' after the final newline; anything else is a line the crash cut short
  const tornTail = last !== undefined && last !== '';
  if (lines.length === 0) return { state, replayed: 0, tornTail };
  if (!state) throw new Error(`${journalFile} has entries but ${snapshotFile} is missing; start with --fresh`);
  const replay = replayer(state);
  let replayed = 0;
  lines.forEach((line, index) => {
    const parsed = z.array(EntrySchema).safeParse(JSON.parse(line));
    if (!parsed.success)
      throw new Error(`${journalFile} line ${index + 1} is not a journal line: ${parsed.error.issues[0]?.message}`);
    for (const entry of parsed.data) replay.apply(entry as JournalEntry);
    replayed += parsed.data.length;
  });
  replay.finish();
  return { state, replayed, tornTail };
}

/** Applies entries to a snapshot in place (indexes built once, so a long journal replays in linear time). */
function replayer(state: SavedState): { apply(entry: JournalEntry): void; finish(): void } {
  const issueIndex = new Map(state.jira.issues.map((issue, i) => [issue.id, i]));
  const pending = new Map(state.queues.pending.map((event) => [event.eventId, event]));
  const jiraInFlight = new Map((state.jiraInFlight ?? []).map((req) => [req.id, req]));
  let removedIssues = false;
  const finishIssues = () => {
    if (!removedIssues) return;
    state.jira.issues = state.jira.issues.filter((issue) => issue !== undefined);
    issueIndex.clear();
    state.jira.issues.forEach((issue, i) => issueIndex.set(issue.id, i));
    removedIssues = false;
  };
  const apply = (entry: JournalEntry) => {
    switch (entry.t) {
      case 'kvs': {
        const space =
          entry.ks === 'keys'
            ? state.kvs.keys
            : entry.ks === 'secrets'
              ? state.kvs.secrets
              : (state.kvs.entities[entry.ks.slice('entity:'.length)] ??= {});
        if (entry.item) space[entry.key] = entry.item;
        else delete space[entry.key];
        break;
      }
      case 'jira': {
        state.jira.sequence = entry.sequence;
        if (entry.req !== undefined) jiraInFlight.delete(entry.req); // its writes and its end are one line
        for (const { id, issue } of entry.issues) {
          const at = issueIndex.get(id);
          if (issue && at !== undefined) state.jira.issues[at] = issue;
          else if (issue) issueIndex.set(id, state.jira.issues.push(issue) - 1);
          else if (at !== undefined) {
            (state.jira.issues as unknown[])[at] = undefined;
            issueIndex.delete(id);
            removedIssues = true;
          }
        }
        finishIssues();
        break;
      }
      case 'jira-received':
        jiraInFlight.set(entry.req.id, entry.req);
        break;
      case 'jira-answered':
        jiraInFlight.delete(entry.id);
        break;
      case 'queue-put':
        pending.delete(entry.event.eventId); // re-inserted last, in the order the broker holds it
        pending.set(entry.event.eventId, entry.event);
        break;
      case 'queue-done':
        pending.delete(entry.eventId);
        break;
      case 'webtriggers':
        state.webtriggers = { ids: entry.ids };
        break;
    }
  };
  const finish = () => {
    state.queues.pending = [...pending.values()];
    if (jiraInFlight.size > 0) state.jiraInFlight = [...jiraInFlight.values()];
    else delete state.jiraInFlight;
  };
  return { apply, finish };
}

/** Writes the snapshot atomically (a temporary file renamed over the old one). */
export function writeSnapshot(dir: string, state: SavedState): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, SNAPSHOT_FILE);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(state));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * The open journal: entries are buffered within one tick and written by `flush()` as one line (a JSON
 * array) in one `write(2)`, so a change set — e.g. a KVS transaction — is replayed whole or not at all.
 */
export class Journal {
  private fd: number | undefined;
  private buffer: string[] = [];
  private flushQueued = false;
  /** Bytes in the journal file. */
  bytes: number;
  /** Entries and `write(2)` calls since start-up (for the cost figures). */
  readonly stats = { entries: 0, writes: 0, writeMs: 0 };

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(path.join(dir, JOURNAL_FILE), 'a');
    this.bytes = fstatSync(this.fd).size;
  }

  /** Buffers an entry; it reaches the file at the latest when the current tick's microtasks run. */
  record(entry: JournalEntry): void {
    if (this.fd === undefined) return;
    this.buffer.push(JSON.stringify(entry));
    this.stats.entries += 1;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Writes what is buffered, in one call (cut short by a crash, it is a torn last line, ignored). */
  flush(): void {
    this.flushQueued = false;
    if (this.fd === undefined || this.buffer.length === 0) return;
    const text = `[${this.buffer.join(',')}]\n`;
    this.buffer = [];
    const started = performance.now();
    const data = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written);
    this.stats.writes += 1;
    this.stats.writeMs += performance.now() - started;
    this.bytes += data.length;
  }

  /** Empties the journal (after its entries are in a snapshot). */
  reset(): void {
    if (this.fd === undefined) return;
    this.flush();
    ftruncateSync(this.fd, 0);
    this.bytes = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
