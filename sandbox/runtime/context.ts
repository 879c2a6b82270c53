import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { AppLogLevel } from './app-logs';

/**
 * One app invocation as the Forge runtime sees it. The real runtime installs
 * `globalThis.__forge_runtime__` per invocation; the sandbox makes it a getter over
 * AsyncLocalStorage so that concurrent invocations each see their own context.
 */
export interface Installation {
  appId: string;
  environmentId: string;
  environmentType: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION';
  installationId: string;
  cloudId: string;
  siteUrl: string;
  appVersion: string;
}

/** What an invocation needs from the sandbox that started it (several sandboxes may share a process). */
export interface InvocationHost {
  fetch(
    target: { type: string; provider?: string; remote?: string; accountId?: string },
    path: string,
    init?: RequestInit,
  ): Promise<Response>;
  runtime(invocation: Invocation): unknown;
  egressAllowlist: readonly string[];
  egressLog: { url: string; allowed: boolean; functionKey: string }[];
  /** Receives what the invoked function writes to `console` (Forge's log store). */
  appLog(invocation: Invocation, level: AppLogLevel, args: unknown[]): void;
}

export interface Invocation {
  id: string;
  host: InvocationHost;
  functionKey: string;
  moduleKey: string;
  /** The user on whose behalf the invocation runs (resolvers, product events), if any. */
  principalAccountId?: string;
  deadline: number;
  /** Set when the invocation timed out or was killed: every later SDK call from it fails. */
  terminated?: string;
  /** Counts SDK calls so a test can kill the invocation after N of them. */
  sdkCalls: number;
  killAfterSdkCalls?: number;
  /** Simulate a slow invocation: the answer to the first SDK call matching `matches` waits for `until`. */
  stallAfterSdkCall?: SdkCallStall;
  /** The async-event chain this invocation belongs to (a consumer delivery), for the cyclic invocation limit. */
  eventChain?: EventChain;
}

/**
 * A slow invocation, made deterministic: the first SDK call that `matches` reaches its service, then its answer is
 * held until `until` settles (`onStalled` is told when it starts waiting). Everything else — other invocations, the
 * sandbox clock — goes on meanwhile, as it would while a real function waits on the network.
 */
export interface SdkCallStall {
  matches(call: { target: string; method: string; path: string }): boolean;
  until: Promise<void>;
  onStalled?: () => void;
}

/** One chain of async events: started by an invocation that is not itself an event delivery. */
export interface EventChain {
  id: string;
  /** How many events deep the delivering event is (an event pushed by a non-event invocation is 1). */
  depth: number;
}

const storage = new AsyncLocalStorage<Invocation>();

export function currentInvocation(): Invocation | undefined {
  return storage.getStore();
}

export function runInInvocation<T>(invocation: Invocation, fn: () => Promise<T>): Promise<T> {
  return storage.run(invocation, fn);
}

export function newInvocation(input: Omit<Invocation, 'id' | 'sdkCalls'>): Invocation {
  return { id: randomUUID(), sdkCalls: 0, ...input };
}

export function installationContextAri(installation: Installation): string {
  return `ari:cloud:jira::site/${installation.cloudId}`;
}

interface Metrics {
  counter(name: string, tags?: Record<string, string>): { incr(): void; decr(): void };
  timing(name: string, tags?: Record<string, string>): { measure(): { stop(tags?: Record<string, string>): void } };
}

const noopMetrics: Metrics = {
  counter: () => ({ incr() {}, decr() {} }),
  timing: () => ({ measure: () => ({ stop() {} }) }),
};

/** Builds the object the @forge/* packages read from `__forge_runtime__` for one invocation. */
export function buildRuntimeObject(
  installation: Installation,
  invocation: Invocation,
  permissions: { scopes: string[]; external: unknown },
) {
  return {
    appContext: {
      appId: installation.appId,
      appVersion: installation.appVersion,
      environmentId: installation.environmentId,
      environmentType: installation.environmentType,
      invocationId: invocation.id,
      installationId: installation.installationId,
      moduleKey: invocation.moduleKey,
      license: undefined,
      installation: undefined,
      permissions,
    },
    contextAri: installationContextAri(installation),
    lambdaContext: {
      getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - Date.now()),
    },
    metrics: noopMetrics,
    tracing: { traceId: invocation.id.replace(/-/g, ''), spanId: invocation.id.slice(0, 16) },
    proxy: { token: 'sandbox', url: 'sandbox://proxy' },
  };
}
