import path from 'node:path';
import type { AppManifest } from './manifest';
import { newInvocation, runInInvocation, type Invocation, type InvocationHost, type SdkCallStall } from './context';

/**
 * Calls an app function the way Forge does: loads `src/<file>` and calls its export inside a fresh
 * invocation context, with the function's timeout (manifest `timeoutSeconds`, else the module
 * type's default). A timed-out invocation is terminated: the caller sees FUNCTION_TIME_OUT and any
 * SDK call the still-running code makes afterwards fails, as when Forge stops the container.
 */

export class FunctionTimeoutError extends Error {
  constructor(functionKey: string, timeoutMs: number) {
    super(`Function '${functionKey}' timed out after ${timeoutMs} ms`);
    this.name = 'FUNCTION_TIME_OUT';
  }
}

/** The invocation was killed by the sandbox (a simulated crash) before it returned. */
export class InvocationTerminatedError extends Error {
  constructor(functionKey: string, reason: string) {
    super(`invocation of '${functionKey}' was terminated: ${reason}`);
    this.name = 'FUNCTION_TERMINATED';
  }
}

export interface InvokeOptions {
  moduleKey: string;
  principalAccountId?: string;
  /** Simulate a crash: the invocation dies right after its N-th SDK call reached its service. */
  killAfterSdkCalls?: number;
  /** Simulate a slow invocation: the answer to the first matching SDK call waits (`SdkCallStall`). */
  stallAfterSdkCall?: SdkCallStall;
  /** Override the manifest timeout (tests of timeout behaviour). */
  timeoutMs?: number;
  /** The async-event chain of the event being delivered (consumer invocations only). */
  eventChain?: Invocation['eventChain'];
}

export interface InvocationRecord {
  functionKey: string;
  moduleKey: string;
  invocationId: string;
  durationMs: number;
  outcome: 'ok' | 'error' | 'timeout' | 'killed';
  error?: string;
}

type Handler = (...args: unknown[]) => unknown;

export class Invoker {
  readonly history: InvocationRecord[] = [];
  private readonly cache = new Map<string, Handler>();
  private readonly plannedCrashes = new Map<string, number[]>();

  /** The next invocation of `functionKey` (however it is triggered) dies right after its n-th SDK call. */
  crashNextInvocation(functionKey: string, afterSdkCalls: number): void {
    this.plannedCrashes.set(functionKey, [...(this.plannedCrashes.get(functionKey) ?? []), afterSdkCalls]);
  }

  constructor(
    private readonly manifest: AppManifest,
    private readonly host: InvocationHost,
  ) {}

  private handlerFor(functionKey: string): Handler {
    const cached = this.cache.get(functionKey);
    if (cached) return cached;
    const fn = this.manifest.functions.get(functionKey);
    if (!fn) throw new Error(`manifest.yml has no function '${functionKey}'`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(this.manifest.root, fn.file)) as Record<string, unknown>;
    const handler = mod[fn.exportName];
    if (typeof handler !== 'function') {
      throw new Error(`function '${functionKey}': ${fn.file} does not export a function named '${fn.exportName}'`);
    }
    this.cache.set(functionKey, handler as Handler);
    return handler as Handler;
  }

  async invoke(functionKey: string, args: unknown[], options: InvokeOptions): Promise<unknown> {
    const handler = this.handlerFor(functionKey);
    const timeoutMs = options.timeoutMs ?? this.manifest.timeoutMsOf(functionKey);
    const started = Date.now();
    const planned = this.plannedCrashes.get(functionKey)?.shift();
    const invocation: Invocation = newInvocation({
      host: this.host,
      functionKey,
      moduleKey: options.moduleKey,
      principalAccountId: options.principalAccountId,
      deadline: started + timeoutMs,
      killAfterSdkCalls: options.killAfterSdkCalls ?? planned,
      ...(options.stallAfterSdkCall ? { stallAfterSdkCall: options.stallAfterSdkCall } : {}),
      ...(options.eventChain ? { eventChain: options.eventChain } : {}),
    });
    let timer: NodeJS.Timeout | undefined;
    const record = (outcome: InvocationRecord['outcome'], error?: string) =>
      this.history.push({
        functionKey,
        moduleKey: options.moduleKey,
        invocationId: invocation.id,
        durationMs: Date.now() - started,
        outcome,
        error,
      });
    try {
      const result = await Promise.race([
        runInInvocation(invocation, async () => handler(...args)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            invocation.terminated = 'timed out';
            reject(new FunctionTimeoutError(functionKey, timeoutMs));
          }, timeoutMs);
        }),
      ]);
      if (invocation.terminated) {
        record('killed', invocation.terminated);
        throw new InvocationTerminatedError(functionKey, invocation.terminated);
      }
      record('ok');
      return result;
    } catch (error) {
      if (this.history.some((h) => h.invocationId === invocation.id)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof FunctionTimeoutError) {
        record('timeout', message);
        throw error;
      }
      if (invocation.terminated) {
        // The handler saw the failure of an SDK call made after the simulated crash.
        record('killed', invocation.terminated);
        throw new InvocationTerminatedError(functionKey, invocation.terminated);
      }
      record('error', message);
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
