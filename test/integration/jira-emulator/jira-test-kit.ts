import {
  createJiraEmulator,
  type JiraActor,
  type JiraEmulator,
  type JiraEmulatorOptions,
  type JiraProductEvent,
} from '../../../sandbox/jira';

/** Builders shared by the emulator's behaviour suite. */

export interface Kit {
  emulator: JiraEmulator;
  events: JiraProductEvent[];
  clock: { now: number; advance(ms: number): void };
  call(
    method: string,
    path: string,
    body?: unknown,
    actor?: JiraActor,
  ): Promise<{ status: number; headers: Record<string, string>; body: any }>;
  asApp: JiraActor;
  asAdmin: JiraActor;
  asMember: JiraActor;
}

export const START_TIME = Date.UTC(2026, 0, 15, 9, 0, 0);

export function buildKit(options: Partial<JiraEmulatorOptions> = {}): Kit {
  const events: JiraProductEvent[] = [];
  const clock = {
    now: START_TIME,
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const emulator = createJiraEmulator({
    seed: 'empty',
    now: () => clock.now,
    onProductEvent: (e) => events.push(e),
    onResponseWarning: () => undefined,
    ...options,
  });
  const asApp: JiraActor = { kind: 'app' };
  return {
    emulator,
    events,
    clock,
    asApp,
    asAdmin: { kind: 'user', accountId: emulator.users.admin },
    asMember: { kind: 'user', accountId: emulator.users.member },
    async call(method, path, body, actor = asApp) {
      const response = await emulator.handle(
        {
          method,
          path,
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        },
        actor,
      );
      return {
        status: response.status,
        headers: response.headers ?? {},
        body: response.body ? JSON.parse(response.body) : undefined,
      };
    },
  };
}

export function adf(text: string) {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

export function buildIssueFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project: { key: 'SEC' },
    issuetype: { name: 'Bug' },
    summary: 'SQL injection in /login',
    description: adf('The login form concatenates user input into SQL.'),
    labels: ['finding-sync'],
    ...overrides,
  };
}

export function buildComplianceFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project: { key: 'COMP' },
    issuetype: { name: 'Task' },
    summary: 'Patch management evidence missing',
    customfield_10050: { value: 'SOC 2 CC7.1' },
    customfield_10051: '2026-03-31',
    ...overrides,
  };
}

export async function createIssue(
  kit: Kit,
  overrides: Record<string, unknown> = {},
  actor: JiraActor = kit.asApp,
): Promise<{ id: string; key: string }> {
  const response = await kit.call('POST', '/rest/api/3/issue', { fields: buildIssueFields(overrides) }, actor);
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
