import path from 'node:path';
import { z } from 'zod';
import { jsonResponse, type ServiceRequest, type ServiceResponse } from '../http/types';
import { CallCounters, type JiraCounters } from './call-counters';
import { FaultEngine, type JiraFaults } from './faults';
import { SEARCH_INDEX_LAG_MAX_MS } from './search-index';
import type { HandlerContext } from './handlers/handler-context';
import { commitCreate, prepareCreate, transitionIssue } from './issue-writes';
import { JiraHttpError } from './jira-error';
import { JiraSite } from './jira-site';
import type { EntityPropertyIndex } from './jql-search';
import { createOpenApiValidator, specFileExists, type OpenApiValidator } from './openapi-validator';
import { actorAccountId } from './product-events';
import { matchRoute, SERVED_OPERATIONS } from './route-table';
import { buildSeedState, SEEDED_USERS } from './seed-site';
import type { JiraActor, JiraIssueRecord, JiraProductEvent, JiraState } from './types';
import { pointsFor } from './points-quota';
import { createUserSession, PERSON_HEADER, type JiraUserSession } from './user-session';

export interface JiraResponseWarning {
  operation: string;
  status: number;
  messages: string[];
}

export interface JiraEmulatorOptions {
  /** Default: the vendored `sandbox/jira/openapi/jira-platform-v3.openapi.json`. A missing document is an error. */
  specPath?: string;
  /**
   * `demo` (default) adds a few sample issues; `empty` has the same projects and no issues. Ignored when `state` is
   * given.
   */
  seed?: 'demo' | 'empty';
  /** Restores a snapshot taken with `snapshot()`. */
  state?: JiraState;
  now?: () => number;
  onProductEvent?: (event: JiraProductEvent) => void;
  /** The app's `jira:entityProperty` declarations; when given, JQL only searches those property paths (as on Forge). */
  entityPropertyIndex?: EntityPropertyIndex[];
  /**
   * Told of every successful write, before the answer is returned: the issues it created, changed or
   * deleted (null) and the id counters (the sandbox's write-ahead journal).
   */
  onWrite?: (change: JiraWrite) => void;
  /** Where response-schema deviations go (warn-only). Default: `console.warn` once per operation and status. */
  onResponseWarning?: (warning: JiraResponseWarning) => void;
}

export interface JiraWrite {
  sequence: JiraState['sequence'];
  issues: { id: string; issue: JiraIssueRecord | null }[];
}

export interface JiraEmulator {
  handle(request: ServiceRequest, actor: JiraActor): Promise<ServiceResponse>;
  /** JSON-serialisable copy of the whole site (configuration and issues). */
  snapshot(): JiraState;
  faults: JiraFaults;
  counters: JiraCounters;
  /** Programmatic API acting as a person; goes through `handle()`, so the same rules and events apply. */
  as(accountId: string): JiraUserSession;
  users: { admin: string; member: string; developer: string; app: string };
  /** Response-schema deviations seen so far (warn-only layer). */
  readonly responseWarnings: readonly JiraResponseWarning[];
  /** The OpenAPI document layer 1 (request validation) checks against. */
  readonly specPath: string;
  setEntityPropertyIndex(index: EntityPropertyIndex[] | undefined): void;
}

const repoRoot = path.resolve(__dirname, '..', '..');
/** Atlassian's Jira Cloud platform REST API v3 document, vendored (see sandbox/jira/openapi/README.md). */
export const DEFAULT_SPEC_PATH = path.join(repoRoot, 'sandbox', 'jira', 'openapi', 'jira-platform-v3.openapi.json');

const StateSchema = z.looseObject({
  version: z.literal(1),
  siteUrl: z.string().url(),
  cloudId: z.string(),
  appAccountId: z.string(),
  sequence: z.looseObject({
    issueId: z.number(),
    commentId: z.number(),
    historyId: z.number(),
    projectIssueNumber: z.record(z.string(), z.number()),
  }),
  users: z.array(z.looseObject({ accountId: z.string() })),
  statuses: z.array(z.looseObject({ id: z.string() })),
  priorities: z.array(z.looseObject({ id: z.string() })),
  prioritySchemes: z.array(z.looseObject({ id: z.string() })),
  resolutions: z.array(z.looseObject({ id: z.string() })),
  issueTypes: z.array(z.looseObject({ id: z.string() })),
  fields: z.array(z.looseObject({ id: z.string() })),
  projects: z.array(z.looseObject({ id: z.string(), key: z.string() })),
  issues: z.array(z.looseObject({ id: z.string(), key: z.string() })),
});

function restoreState(state: JiraState): JiraState {
  const parsed = StateSchema.safeParse(state);
  if (!parsed.success) {
    throw new Error(
      `Jira emulator: the state snapshot is not valid: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return structuredClone(state);
}

/** Validators hold no per-site state: one per document per process, shared by every emulator. */
const validators = new Map<string, OpenApiValidator>();

function loadValidator(specPath: string): OpenApiValidator {
  if (!specFileExists(specPath)) {
    throw new Error(
      `Jira emulator: the OpenAPI document ${specPath} is missing. The repository vendors it; restore it with ` +
        '`git checkout -- sandbox/jira/openapi` or, when online, `npx tsx sandbox/tools/fetch-jira-spec.ts`.',
    );
  }
  let validator = validators.get(specPath);
  if (!validator) {
    validator = createOpenApiValidator(specPath, SERVED_OPERATIONS);
    validators.set(specPath, validator);
  }
  return validator;
}

function queryObject(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    const all = search.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function seedDemoIssues(site: JiraSite): void {
  const admin: JiraActor = { kind: 'user', accountId: SEEDED_USERS.admin };
  const doc = (text: string) => ({
    type: 'doc',
    version: 1,
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  });
  const samples = [
    {
      project: 'SEC',
      type: '10004',
      summary: 'Reflected XSS in /search',
      labels: ['security', 'xss'],
      transitions: ['21'],
    },
    {
      project: 'SEC',
      type: '10001',
      summary: 'Rotate leaked staging API key',
      labels: ['secrets'],
      transitions: [] as string[],
    },
    {
      project: 'OPS',
      type: '10001',
      summary: 'S3 bucket allows public listing',
      labels: ['cloud'],
      transitions: ['11'],
    },
  ];
  for (const s of samples) {
    const prepared = prepareCreate(
      site,
      {
        fields: {
          project: { key: s.project },
          issuetype: { id: s.type },
          summary: s.summary,
          labels: s.labels,
          description: doc(`${s.summary} (sample issue).`),
        },
      },
      admin,
    );
    const { issue } = commitCreate(site, prepared.issue, admin);
    for (const id of s.transitions) transitionIssue(site, issue, { transition: { id } }, admin);
  }
}

/** Whether a request can change the site: anything but a GET or a JQL search (which only reads, though POSTed). */
export function isJiraWrite(method: string, pathname: string): boolean {
  return method.toUpperCase() !== 'GET' && !pathname.endsWith('/search/jql');
}

/**
 * A restored site (a restart) does not find Jira's index caught up: an issue created within the longest lag
 * before now is indexed only after a fresh lag, as if just written (stricter than Jira, whose index kept going
 * while the sandbox was down). Issues edited in that window stay searchable as they are now (the sandbox keeps
 * no older version to show).
 */
function relagRecentIssues(site: JiraSite, faults: FaultEngine, at: number): void {
  for (const issue of site.state.issues)
    if (at - Date.parse(issue.created) < SEARCH_INDEX_LAG_MAX_MS) faults.searchIndex.afterWrite(issue.id, issue);
}

export function createJiraEmulator(options: JiraEmulatorOptions = {}): JiraEmulator {
  // Read late: the sandbox's one clock (and a test's fake timers) replace `Date` after the emulator exists.
  const now = options.now ?? (() => Date.now());
  const state = options.state ? restoreState(options.state) : buildSeedState();
  const site = new JiraSite(state, now);
  if (!options.state && (options.seed ?? 'demo') === 'demo') seedDemoIssues(site);

  const validator = loadValidator(options.specPath ?? DEFAULT_SPEC_PATH);
  const faults = new FaultEngine(now);
  if (options.state) relagRecentIssues(site, faults, now());
  const counters = new CallCounters();
  const responseWarnings: JiraResponseWarning[] = [];
  const warnedOnce = new Set<string>();
  let propertyIndex = options.entityPropertyIndex;
  const onResponseWarning =
    options.onResponseWarning ??
    ((w: JiraResponseWarning) => {
      const key = `${w.operation} ${w.status}`;
      if (warnedOnce.has(key)) return;
      warnedOnce.add(key);
      console.warn(
        `[jira-emulator] response of ${w.operation} (${w.status}) deviates from the OpenAPI schema: ` +
          w.messages.join('; '),
      );
    });

  async function handle(request: ServiceRequest, actor: JiraActor): Promise<ServiceResponse> {
    const method = request.method.toUpperCase();
    const url = new URL(request.path, 'http://jira.invalid');
    const match = matchRoute(method, url.pathname);
    const operation = match.kind === 'found' ? `${method} ${match.route.template}` : `${method} ${url.pathname}`;
    // The app's calls (asApp and asUser) draw on its hourly points quota; a person's do not.
    const byApp = request.headers[PERSON_HEADER] === undefined;
    const finish = (response: ServiceResponse): ServiceResponse => {
      counters.record(operation, method, response.status);
      if (!byApp) return response;
      let parsedBody: unknown;
      if (method === 'GET' || operation.endsWith('/search/jql')) {
        try {
          parsedBody = response.body ? JSON.parse(response.body) : undefined;
        } catch {
          parsedBody = undefined;
        }
      }
      const points = pointsFor(operation, method, response.status, parsedBody);
      faults.chargePoints(points);
      counters.recordPoints(operation, points);
      return { ...response, headers: { ...faults.quotaHeaders(), ...(response.headers ?? {}) } };
    };

    if (faults.settings.latencyMs > 0) await sleep(faults.settings.latencyMs);
    const fault = faults.beforeRequest(operation) ?? (byApp ? faults.quotaCheck() : null);
    const faultResponse = () =>
      jsonResponse(fault!.status, { errorMessages: [fault!.message], errors: {} }, fault!.headers);
    if (fault && !fault.afterHandling) return finish(faultResponse());

    if (match.kind === 'method-not-allowed')
      return finish(
        jsonResponse(
          405,
          {
            errorMessages: [`Method ${method} is not allowed here (allowed: ${match.allowed.join(', ')}).`],
            errors: {},
          },
          { allow: match.allowed.join(', ') },
        ),
      );
    if (match.kind === 'not-found') {
      const status = url.pathname.startsWith('/rest/') ? 501 : 404;
      return finish(
        jsonResponse(status, {
          errorMessages: [`The Jira emulator does not serve ${method} ${url.pathname}.`],
          errors: {},
        }),
      );
    }

    const actorId = actorAccountId(site, actor);
    const user = site.user(actorId);
    if (!user || !user.active)
      return finish(
        jsonResponse(401, {
          errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
          errors: {},
        }),
      );

    let body: unknown;
    const rawBody = request.body && request.body.length > 0 ? request.body : undefined;
    if (rawBody !== undefined) {
      const contentType = request.headers['content-type'] ?? 'application/json';
      if (!/json/i.test(contentType))
        return finish(jsonResponse(415, { errorMessages: [`Unsupported Media Type: ${contentType}`], errors: {} }));
      try {
        body = JSON.parse(rawBody);
      } catch (error) {
        return finish(
          jsonResponse(400, {
            errorMessages: [`Unexpected character in JSON body: ${(error as Error).message}`],
            errors: {},
          }),
        );
      }
    }
    const query = queryObject(url.searchParams);
    const op = { method: match.route.method, template: match.route.template };
    const problem = validator.validateRequest(op, query, body, rawBody !== undefined);
    if (problem) return finish(jsonResponse(400, { errorMessages: problem.messages, errors: {} }));

    const events: JiraProductEvent[] = [];
    const ctx: HandlerContext = {
      site,
      actor,
      actorId,
      params: match.params,
      query,
      body,
      rawBody,
      emit: (e) => events.push(...e),
      guardIssueWrite: (issue) => {
        const limited = faults.beforeIssueWrite(issue.id);
        if (limited) throw new JiraHttpError(429, [limited.message], {}, limited.headers);
      },
      propertyIndex,
      searchIndex: faults.searchIndex,
      takeBulkElementFaults: () => faults.takeBulkElementFaults(),
    };
    // Search sees each write after its own lag (search-index.ts).
    const isWrite = isJiraWrite(method, url.pathname);
    const target = isWrite && match.params.issueIdOrKey ? site.issue(match.params.issueIdOrKey) : undefined;
    faults.searchIndex.beforeWrite(target);
    const knownIds = isWrite && !target ? new Set(site.state.issues.map((i) => i.id)) : undefined;
    let response: ServiceResponse;
    try {
      const result = match.route.handler(ctx);
      if (result.status < 300 && isWrite) {
        const written: JiraWrite['issues'] = [];
        if (target) written.push({ id: target.id, issue: site.issue(target.id) ?? null });
        if (knownIds)
          for (const issue of site.state.issues) if (!knownIds.has(issue.id)) written.push({ id: issue.id, issue });
        for (const w of written) faults.searchIndex.afterWrite(w.id, w.issue);
        if (written.length > 0) options.onWrite?.({ sequence: site.state.sequence, issues: written });
      }
      response =
        result.body === undefined
          ? { status: result.status, headers: result.headers ?? {}, body: '' }
          : jsonResponse(result.status, result.body, result.headers);
      if (result.body !== undefined) {
        const messages = validator.validateResponse(op, result.status, JSON.parse(response.body ?? 'null'));
        if (messages.length > 0) {
          const warning = { operation, status: result.status, messages };
          responseWarnings.push(warning);
          onResponseWarning(warning);
        }
      }
    } catch (error) {
      if (error instanceof JiraHttpError) response = error.toResponse();
      else {
        console.error(`[jira-emulator] ${operation} failed inside the emulator`, error);
        response = jsonResponse(500, {
          errorMessages: [`Jira emulator internal error: ${(error as Error).message}`],
          errors: {},
        });
      }
    }
    for (const event of events) options.onProductEvent?.(event);
    return finish(fault?.afterHandling ? faultResponse() : response);
  }

  const emulator: JiraEmulator = {
    handle,
    snapshot: () => structuredClone(state),
    faults,
    counters,
    as: (accountId) => createUserSession(emulator, accountId),
    users: {
      admin: SEEDED_USERS.admin,
      member: SEEDED_USERS.member,
      developer: SEEDED_USERS.developer,
      app: state.appAccountId,
    },
    get responseWarnings() {
      return responseWarnings;
    },
    specPath: validator.specPath,
    setEntityPropertyIndex(index) {
      propertyIndex = index;
    },
  };
  return emulator;
}
