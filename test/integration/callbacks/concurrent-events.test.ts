import { seededRandom } from '../../../sandbox/jira/search-index';
import { createCallbackKit, type CallbackKit } from './callback-kit';

/**
 * Forge delivers product events at least once, in no guaranteed order, possibly in parallel. The
 * sandbox's default schedule does exactly that (shuffled, 8 at a time, 10 % delivered twice, seeded).
 * Whatever the schedule, the platform must end with every issue's real status, and the app must
 * never write to Jira because of an event (no echo).
 */

const SEED = Number(process.env.EVENTS_SEED ?? 1109);
const ISSUES = 100;
const CHANGES = 1_000;

/** The SEC workflow: where a person can go from each status. */
const NEXT: Record<string, string[]> = {
  'To Do': ['In Progress'],
  'In Progress': ['In Review', 'To Do'],
  'In Review': ['Done', 'In Progress'],
  Done: ['Reopened'],
  Reopened: ['In Progress'],
};

describe('Jira → platform under concurrent, reordered and duplicated events', () => {
  let kit: CallbackKit;
  beforeAll(async () => {
    kit = await createCallbackKit();
  });
  afterAll(async () => kit.close());

  const title = `${CHANGES} status changes across ${ISSUES} issues: the last accepted callback is the final status`;
  it(`${title} (seed ${SEED})`, async () => {
    console.log(`concurrent-events seed: ${SEED} (EVENTS_SEED=${SEED} to replay)`);
    const random = seededRandom(SEED);
    kit.sandbox.productEvents.setSchedule({ kind: 'chaotic', seed: SEED });
    // Linked as the sync links them: one bulk create and one issue_linked callback per 50 issues.
    const linked = await kit.linkIssues(Array.from({ length: ISSUES }, (_, i) => ({ findingId: `C-${i}` })));
    const issues = linked.map((issue) => ({ ...issue, status: 'To Do' }));
    await kit.sandbox.settle();

    // Each issue changes ten times, in a shuffled order across issues.
    const order = issues.flatMap((issue) => Array.from({ length: CHANGES / ISSUES }, () => issue));
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const dev = kit.sandbox.jira.as(kit.users.developer);
    const jiraWritesByApp = () => kit.sandbox.sdkCalls.filter((c) => c.target === 'jira' && c.method !== 'GET').length;
    const appWritesBefore = jiraWritesByApp();
    let done = 0;
    for (const issue of order) {
      const choices = NEXT[issue.status]!;
      const target = choices[Math.floor(random() * choices.length)]!;
      await dev.transition(issue.issueKey, target);
      issue.status = target;
      done++;
      // Now and then Forge catches up with part of the backlog while people keep working.
      if (done % 97 === 0 && random() < 0.5) await kit.sandbox.settle();
    }
    await kit.sandbox.settle();

    const log = kit.sandbox.productEvents.log.filter((r) => r.eventType === 'avi:jira:updated:issue');
    expect(log.filter((r) => r.outcome === 'error')).toEqual([]);
    // Every delivery (a retry keeps its id) ended handled; some events were delivered twice.
    const last = new Map<number, string>();
    for (const r of log) last.set(r.id, r.outcome);
    expect([...last.values()].filter((o) => o !== 'ok')).toEqual([]);
    expect(last.size).toBeGreaterThan(CHANGES);
    const retries = log.filter((r) => r.outcome === 'retry').length;
    console.log(`deliveries: ${last.size} for ${CHANGES} changes; retries asked: ${retries}`);

    const snapshot = kit.sandbox.jira.snapshot();
    const statusName = (id: string) => snapshot.statuses.find((s) => s.id === id)!.name;
    const wrong: string[] = [];
    for (const issue of issues) {
      const final = statusName(snapshot.issues.find((i) => i.id === issue.issueId)!.statusId);
      expect(final).toBe(issue.status);
      const callbacks = kit
        .statusCallbacks()
        .filter((c) => (c['issue'] as { id: string }).id === issue.issueId)
        .map((c) => (c['jira'] as { statusName: string }).statusName);
      if (callbacks[callbacks.length - 1] !== final)
        wrong.push(`${issue.issueKey}: Jira ${final}, platform last heard ${callbacks[callbacks.length - 1]}`);
    }
    expect(wrong).toEqual([]);
    expect(jiraWritesByApp() - appWritesBefore).toBe(0); // no echo writes
  }, 240_000);
});
