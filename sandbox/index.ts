import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { jsonResponse, type ServiceRequest, type ServiceResponse } from './http/types';
import {
  buildRuntimeObject,
  installationContextAri,
  newInvocation,
  runInInvocation,
  type Invocation,
  type Installation,
  type InvocationHost,
} from './runtime/context';
import { createForgeFetch, type JiraCaller, type SdkCallRecord } from './runtime/forge-fetch';
import { appLogModeFromEnvironment, AppLogStore, type AppLogMode } from './runtime/app-logs';
import { installForgeGlobals } from './runtime/globals';
import { sandboxClock } from './runtime/clock';
import { FunctionTimeoutError, InvocationTerminatedError, Invoker, type InvokeOptions } from './runtime/invoker';
import { loadManifest, type AppManifest } from './runtime/manifest';
import { QueueBroker, type ConsumerOutcome } from './queue/queue-broker';
import { ProductEventDispatcher, type TriggerOutcome } from './events/product-event-dispatcher';
import { WebTriggerGateway, type HttpLikeRequest } from './webtrigger/web-trigger-gateway';
import { createKvsService, type KvsQuotas, type KvsService } from './kvs';
import { createJiraEmulator, type JiraEmulator, type JiraEmulatorOptions } from './jira';
import { DEFAULT_SPEC_PATH, isJiraWrite } from './jira/jira-emulator';
import { loadJiraScopeIndex, scopeMismatchResponse, uncoveredScopes, type JiraScopeIndex } from './runtime/jira-scopes';
import { Journal, loadState, writeSnapshot, type JiraInFlight, type SavedState } from './persistence/journal';

/**
 * The offline Forge sandbox: runs the unmodified app (`src/`, as wired by manifest.yml) with the real
 * @forge/* packages against in-process services — KVS, async-event queues, product events, web
 * triggers, resolvers, scheduled triggers — and the Jira emulator. See sandbox/README.md.
 */

export const REPO_ROOT = path.resolve(__dirname, '..');

// The Forge runtime hooks and the egress gate must exist before anything loads @forge/api.
installForgeGlobals();

export interface SandboxOptions {
  root?: string;
  /**
   * Directory where state is kept between runs (a snapshot plus a journal written before each KVS, queue
   * or Jira call returns; see persistence/journal.ts); omit for a purely in-memory sandbox.
   */
  dataDir?: string;
  /** Ignore (and overwrite) any saved state. */
  fresh?: boolean;
  /** Values for manifest `${VARIABLES}` (e.g. PLATFORM_ORIGIN). */
  env?: Record<string, string | undefined>;
  jira?: Omit<JiraEmulatorOptions, 'onProductEvent' | 'state'>;
  /**
   * KVS quotas (per-minute units and batch operations, and whether they are enforced); default Forge's, counted
   * but not enforced. `{ enforce: true, batchOperationsPerMinute: Infinity }` is the quota page's reading.
   */
  kvsQuotas?: Partial<KvsQuotas>;
  /** Deliver queue and product events as they fall due (npm start) instead of on `settle()` (tests). */
  realtime?: boolean;
  /**
   * What the app writes to `console`: kept in `appLogs` and printed (`print`, npm start) or only kept
   * (`collect`, the default; `SANDBOX_APP_LOGS=print` overrides it to debug a test).
   */
  appLogs?: AppLogMode;
  /** The app's OAuth scopes, instead of the manifest's `permissions.scopes` (tests of a missing scope). */
  scopes?: string[];
}

export interface ResolverCallOptions {
  accountId: string;
  /** The resolver function (defaults to the admin page's). */
  resolverFunctionKey?: string;
}

function isInvocationError(
  value: unknown,
): value is { _retry: true; retryOptions?: { retryAfter?: number; retryReason?: string; retryData?: unknown } } {
  return typeof value === 'object' && value !== null && (value as { _retry?: unknown })._retry === true;
}

/**
 * Forge checks the app's scopes for asApp and asUser calls alike; an operation the document does not know
 * passes to Jira (which answers 404).
 */
function scopesCover(index: JiraScopeIndex, scopes: ReadonlyArray<string>, method: string, path: string): boolean {
  const operation = index.find(method, path);
  return operation === undefined || uncoveredScopes(operation, scopes) === undefined;
}

export class Sandbox {
  readonly manifest: AppManifest;
  readonly installation: Installation;
  readonly kvs: KvsService;
  readonly jira: JiraEmulator;
  readonly queues: QueueBroker;
  readonly productEvents: ProductEventDispatcher;
  readonly webTriggers: WebTriggerGateway;
  readonly invoker: Invoker;
  /** Every SDK call the app made: which `(target, path)` it produced and the status it got. */
  readonly sdkCalls: SdkCallRecord[] = [];
  readonly egressLog: InvocationHost['egressLog'] = [];
  /** The app's console output, as Forge's log store holds it (most recent entries). */
  readonly appLogs: AppLogStore;
  /** Whether Jira calls are checked against the app's scopes (needs Jira's OpenAPI document). */
  readonly jiraScopeCheck: 'enabled' | 'skipped';
  /**
   * What start-up found in the data directory: journal entries replayed, whether a crash cut the last, and how
   * many Jira write requests had reached Jira without being finished (Jira finishes them: `jiraCaughtUp`).
   */
  readonly recovery: { replayed: number; tornTail: boolean; jiraInFlight: number } = {
    replayed: 0,
    tornTail: false,
    jiraInFlight: 0,
  };
  /** Settles once Jira has finished the write requests it had received before the crash (start-up). */
  readonly jiraCaughtUp: Promise<void>;
  private readonly host: InvocationHost;
  private readonly dataDir?: string;
  private journal?: Journal;
  /** Jira write requests received and not yet finished (kept in snapshots, so compaction cannot lose one). */
  private readonly jiraInFlight = new Map<string, JiraInFlight>();
  /** Which Jira request a Jira write belongs to: its journal line names it (the request is then finished). */
  private readonly jiraRequest = new AsyncLocalStorage<string>();

  constructor(options: SandboxOptions = {}) {
    installForgeGlobals();
    this.appLogs = new AppLogStore(appLogModeFromEnvironment(options.appLogs ?? 'collect'));
    const root = options.root ?? REPO_ROOT;
    this.manifest = loadManifest(root, options.env ?? {});
    this.dataDir = options.dataDir;
    const loaded = this.dataDir && !options.fresh ? loadState(this.dataDir) : undefined;
    const saved: SavedState | undefined = loaded?.state;
    if (loaded)
      this.recovery = {
        replayed: loaded.replayed,
        tornTail: loaded.tornTail,
        jiraInFlight: saved?.jiraInFlight?.length ?? 0,
      };
    for (const req of saved?.jiraInFlight ?? []) this.jiraInFlight.set(req.id, req);

    this.installation = saved?.installation ?? {
      appId: this.manifest.appId.replace(/^ari:cloud:ecosystem::app\//, ''),
      environmentId: randomUUID(),
      environmentType: 'DEVELOPMENT',
      installationId: randomUUID(),
      cloudId: randomUUID(),
      siteUrl: 'https://sandbox-demo.atlassian.net',
      appVersion: '1.0.0',
    };
    this.kvs = createKvsService({
      state: saved?.kvs,
      ...(options.kvsQuotas ? { quotas: options.kvsQuotas } : {}),
      onChange: (ks, key, item) => this.journal?.record({ t: 'kvs', ks, key, item }),
    });
    this.productEvents = new ProductEventDispatcher(
      this.manifest.triggers,
      (delivery) =>
        this.deliverProductEvent(
          delivery.trigger.functionKey,
          delivery.trigger.key,
          delivery.event,
          delivery.attempt,
          delivery.retryData,
        ),
      // One sandbox time: a product event's retry wait skipped in a test moves the queues' clock too.
      { now: () => this.queues.now(), advance: (ms) => this.queues.advance(ms) },
    );
    this.productEvents.autoDeliver = options.realtime === true;
    this.jira = createJiraEmulator({
      ...(options.jira ?? {}),
      state: saved?.jira,
      onProductEvent: (event) => this.productEvents.emit(event),
      onWrite: (change) => {
        const req = this.jiraRequest.getStore();
        this.journal?.record({ t: 'jira', ...change, ...(req === undefined ? {} : { req }) });
      },
    });
    // As on Forge, JQL can search exactly the issue-property paths the manifest declares.
    this.jira.setEntityPropertyIndex(
      this.manifest.entityProperties
        .filter((e) => e.entityType === 'issue')
        .map((e) => ({
          propertyKey: e.propertyKey,
          extractions: e.values.map((v) => ({ objectPath: v.path, type: v.type })),
        })),
    );
    this.queues = new QueueBroker({
      consumers: new Map(this.manifest.consumers.map((c) => [c.queue, c.functionKey])),
      deliver: (functionKey, event) => this.deliverQueueEvent(functionKey, event),
      clock: sandboxClock,
      state: saved?.queues,
      onChange: (change) =>
        this.journal?.record(
          change.kind === 'put'
            ? { t: 'queue-put', event: change.event }
            : { t: 'queue-done', eventId: change.eventId },
        ),
    });
    if (options.realtime) this.queues.startTimer();
    this.webTriggers = new WebTriggerGateway(
      this.manifest.webtriggers.map((w) => w.key),
      (moduleKey, event) => {
        const module = this.manifest.webtriggers.find((w) => w.key === moduleKey)!;
        return this.invoker.invoke(module.functionKey, [event, this.invocationContext(moduleKey)], { moduleKey });
      },
      saved?.webtriggers,
    );
    this.webTriggers.onChange = (state) => this.journal?.record({ t: 'webtriggers', ids: state.ids });
    const scopes = options.scopes ?? this.manifest.scopes;
    const permissions = { scopes, external: { fetch: { backend: this.manifest.egress } } };
    const scopeIndex = loadJiraScopeIndex([options.jira?.specPath ?? DEFAULT_SPEC_PATH]);
    this.jiraScopeCheck = scopeIndex === undefined ? 'skipped' : 'enabled';
    this.host = {
      fetch: createForgeFetch(
        {
          // Each call's changes are in the journal before its answer is returned.
          kvs: (p, body) => this.durably(() => this.kvs.handle(p, body)),
          jira: async (request, caller) =>
            scopeIndex && !scopesCover(scopeIndex, scopes, request.method, request.path)
              ? scopeMismatchResponse()
              : this.durably(await this.jiraCall(request, caller)),
          stargate: async (request, invocation) => this.durably(() => this.handleStargate(request, invocation)),
        },
        this.sdkCalls,
      ),
      runtime: (invocation) => buildRuntimeObject(this.installation, invocation, permissions),
      egressAllowlist: this.manifest.egress,
      egressLog: this.egressLog,
      appLog: (invocation, level, args) =>
        this.appLogs.write({
          at: Date.now(),
          level,
          functionKey: invocation.functionKey,
          invocationId: invocation.id,
          args,
        }),
    };
    this.invoker = new Invoker(this.manifest, this.host);
    if (this.dataDir) {
      this.journal = new Journal(this.dataDir);
      this.save(); // compaction at start-up: the replayed journal becomes the snapshot
    }
    this.jiraCaughtUp = this.finishJiraInFlight();
  }

  /**
   * One Jira call of the app. With a data directory, a write request is journalled as it reaches Jira, before
   * Jira works on it, and its writes name it: Jira is another service, and finishes a request it received even
   * when the process that sent it dies (a SIGKILL of `npm start` kills the app, not Jira). Start-up finishes what
   * was received and not written (`finishJiraInFlight`). A request the crash stopped before it reached Jira is
   * not journalled: it never happened.
   */
  private async jiraCall(request: ServiceRequest, caller: JiraCaller, id: string = randomUUID()) {
    const journal = this.journal;
    if (!journal || !isJiraWrite(request.method, request.path.split('?')[0]!)) return this.jira.handle(request, caller);
    const req: JiraInFlight = { id, request, caller };
    this.jiraInFlight.set(id, req);
    journal.record({ t: 'jira-received', req });
    journal.flush();
    try {
      return await this.jiraRequest.run(id, () => this.jira.handle(request, caller));
    } finally {
      this.jiraInFlight.delete(id);
      this.journal?.record({ t: 'jira-answered', id });
    }
  }

  /** Start-up: Jira finishes, in arrival order, the write requests it had received before the crash. */
  private async finishJiraInFlight(): Promise<void> {
    for (const req of [...this.jiraInFlight.values()]) {
      try {
        this.durably(await this.jiraCall(req.request, req.caller, req.id));
      } catch (error) {
        console.error(`[sandbox] Jira could not finish ${req.request.method} ${req.request.path}`, error);
      }
    }
  }

  /** Runs a service call (or takes its answer) and writes its journal entries before answering. */
  private durably<T>(call: T | (() => T)): T {
    const result = typeof call === 'function' ? (call as () => T)() : call;
    this.journal?.flush();
    return result;
  }

  /** Entries journalled, `write(2)` calls and the time they took since start-up (cost figures). */
  get journalStats(): { entries: number; writes: number; writeMs: number; bytes: number } | undefined {
    return this.journal ? { ...this.journal.stats, bytes: this.journal.bytes } : undefined;
  }

  private handleStargate(request: ServiceRequest, invocation?: Invocation): ServiceResponse {
    const pathname = request.path.split('?')[0] ?? '';
    if (pathname.startsWith('/webhook/queue/publish/')) return this.queues.publish(request, invocation?.eventChain);
    if (pathname === '/graphql') return this.webTriggers.handleGraphql(request);
    return jsonResponse(404, { message: `The sandbox does not serve ${request.method} ${pathname}` });
  }

  /** The second argument Forge passes to trigger, web trigger and consumer functions. */
  private invocationContext(moduleKey: string) {
    return { installContext: installationContextAri(this.installation), moduleKey, cloudId: this.installation.cloudId };
  }

  private async deliverQueueEvent(
    functionKey: string,
    event: Parameters<ConstructorParameters<typeof QueueBroker>[0]['deliver']>[1],
  ): Promise<ConsumerOutcome> {
    const consumer = this.manifest.consumers.find((c) => c.functionKey === functionKey && c.queue === event.queueName)!;
    const asyncEvent = {
      body: event.body,
      ...(event.delayInSeconds !== undefined ? { delayInSeconds: event.delayInSeconds } : {}),
      ...(event.concurrency ? { concurrency: event.concurrency } : {}),
      queueName: event.queueName,
      jobId: event.jobId,
      eventId: event.eventId,
      ...(event.retryContext ? { retryContext: event.retryContext } : {}),
    };
    try {
      const result = await this.invoker.invoke(functionKey, [asyncEvent, this.invocationContext(consumer.key)], {
        moduleKey: consumer.key,
        ...(event.chain ? { eventChain: event.chain } : {}),
      });
      if (isInvocationError(result)) {
        return {
          kind: 'retry',
          retryAfterSeconds: result.retryOptions?.retryAfter ?? 1,
          retryReason: result.retryOptions?.retryReason ?? 'FUNCTION_RETRY_REQUEST',
          retryData: result.retryOptions?.retryData,
        };
      }
      return { kind: 'ok' };
    } catch (error) {
      if (error instanceof FunctionTimeoutError) return { kind: 'timeout' };
      // A crashed invocation (the sandbox's killAfterSdkCalls) is retried by the platform, like a timeout.
      if (error instanceof InvocationTerminatedError) return { kind: 'crash' };
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private async deliverProductEvent(
    functionKey: string,
    moduleKey: string,
    event: { eventType: string; selfGenerated: boolean; payload: Record<string, unknown> },
    attempt: number,
    retryData: unknown,
  ): Promise<TriggerOutcome> {
    const forgeEvent = {
      ...event.payload,
      eventType: event.eventType,
      selfGenerated: event.selfGenerated,
      context: { cloudId: this.installation.cloudId, moduleKey },
      ...(attempt > 1
        ? { retryContext: { retryCount: attempt - 1, retryReason: 'FUNCTION_RETRY_REQUEST', retryData } }
        : {}),
    };
    const atlassianId = typeof event.payload.atlassianId === 'string' ? event.payload.atlassianId : undefined;
    const result = await this.invoker.invoke(functionKey, [forgeEvent, this.invocationContext(moduleKey)], {
      moduleKey,
      principalAccountId: atlassianId,
    });
    if (isInvocationError(result))
      return {
        kind: 'retry',
        retryAfterSeconds: result.retryOptions?.retryAfter ?? 1,
        retryData: result.retryOptions?.retryData,
      };
    return { kind: 'ok' };
  }

  /** Calls an app function directly (tests of handler behaviour, timeouts, crashes). */
  invoke(functionKey: string, args: unknown[], options: InvokeOptions): Promise<unknown> {
    return this.invoker.invoke(functionKey, args, options);
  }

  /** Runs test code inside an app invocation so it can use the real @forge/* packages (e.g. read KVS). */
  runAsApp<T>(fn: () => Promise<T>, options: { accountId?: string; killAfterSdkCalls?: number } = {}): Promise<T> {
    const invocation = newInvocation({
      host: this.host,
      functionKey: 'sandbox-test',
      moduleKey: 'sandbox-test',
      principalAccountId: options.accountId,
      deadline: Date.now() + 60_000,
      killAfterSdkCalls: options.killAfterSdkCalls,
    });
    return runInInvocation(invocation, fn);
  }

  /** A resolver call as Custom UI's `invoke(functionKey, payload)` makes it, by the given user. */
  async callResolver(functionKey: string, payload: unknown, options: ResolverCallOptions): Promise<unknown> {
    const page = this.manifest.adminPages[0];
    const resolverFunctionKey = options.resolverFunctionKey ?? page?.resolverFunctionKey;
    if (!resolverFunctionKey) throw new Error('manifest.yml has no resolver for the admin page');
    const moduleKey = page?.key ?? 'resolver';
    const result = await this.invoker.invoke(
      resolverFunctionKey,
      [
        { call: { functionKey, payload }, context: this.viewContext(moduleKey, options.accountId) },
        {
          principal: { accountId: options.accountId },
          installContext: installationContextAri(this.installation),
          license: undefined,
        },
      ],
      { moduleKey, principalAccountId: options.accountId },
    );
    // The bridge carries results as JSON.
    return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  }

  /** What `view.getContext()` answers on the admin page. */
  viewContext(moduleKey: string, accountId: string) {
    return {
      accountId,
      cloudId: this.installation.cloudId,
      siteUrl: this.installation.siteUrl,
      localId: `${this.installation.appId}/${this.installation.environmentId}/static/${moduleKey}`,
      moduleKey,
      environmentId: this.installation.environmentId,
      environmentType: this.installation.environmentType,
      locale: 'en-US',
      timezone: 'UTC',
      theme: { colorMode: 'light' },
      extension: { type: 'jira:adminPage' },
    };
  }

  /** Runs a scheduled trigger now. */
  runScheduled(moduleKey: string): Promise<unknown> {
    const trigger = this.manifest.scheduledTriggers.find((s) => s.key === moduleKey);
    if (!trigger) throw new Error(`manifest.yml has no scheduled trigger '${moduleKey}'`);
    return this.invoker.invoke(
      trigger.functionKey,
      [{ context: { cloudId: this.installation.cloudId, moduleKey } }, this.invocationContext(moduleKey)],
      { moduleKey },
    );
  }

  /** POSTs (or any method) to a web trigger without a socket. */
  requestWebTrigger(moduleKey: string, request: Partial<Omit<HttpLikeRequest, 'body'>> & { body?: string | Buffer }) {
    const url = this.webTriggers.urlFor(moduleKey);
    const id = url.slice(url.lastIndexOf('/') + 1);
    const body =
      request.body === undefined
        ? Buffer.alloc(0)
        : Buffer.isBuffer(request.body)
          ? request.body
          : Buffer.from(request.body);
    return this.webTriggers.handle(id, {
      method: request.method ?? 'POST',
      pathAndQuery: request.pathAndQuery ?? '/',
      headers: request.headers ?? {},
      body,
    });
  }

  /** Delivers every queued async event and product event until the system is quiet. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      await this.queues.drain();
      await this.productEvents.drain({ skipWaits: true });
      if (this.queues.pending().length === 0 && this.productEvents.pending().length === 0) return;
    }
    throw new Error('sandbox did not settle after 1000 rounds');
  }

  /**
   * Compaction: writes the whole state as the snapshot (atomic rename), then empties the journal. State
   * is durable without it (the journal); `npm start` compacts at start-up and every minute.
   */
  save(): void {
    if (!this.dataDir) return;
    this.journal?.flush();
    const state: SavedState = {
      version: 1,
      installation: this.installation,
      kvs: this.kvs.snapshot(),
      jira: this.jira.snapshot(),
      queues: this.queues.snapshot(),
      webtriggers: this.webTriggers.snapshot(),
      ...(this.jiraInFlight.size > 0 ? { jiraInFlight: [...this.jiraInFlight.values()] } : {}),
    };
    writeSnapshot(this.dataDir, state);
    this.journal?.reset();
  }

  async close(): Promise<void> {
    this.queues.stopTimer();
    await this.webTriggers.close();
    this.save();
    this.journal?.close();
    this.journal = undefined;
  }

  static wipe(dataDir: string): void {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  return new Sandbox(options);
}
