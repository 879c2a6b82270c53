import { APP_LOG_LEVELS } from './app-logs';
import { installSandboxClock } from './clock';
import { currentInvocation } from './context';
import { isEgressAllowed } from './egress';

/**
 * Installs, once per global object, what the Forge runtime normally provides to the real
 * @forge/* packages: `__forge_fetch__`, the `__forge_runtime__` getter, and the egress gate around
 * `globalThis.fetch`, and `console` routed to the invoking sandbox's log store while an app function
 * runs (on Forge, function output goes to the app's logs, not to a terminal). Each hook looks up the
 * current invocation (AsyncLocalStorage) and defers to the sandbox that started it, so several
 * sandboxes and concurrent invocations can share a process.
 *
 * Must run before anything loads `@forge/api` (it captures fetch at load time): the sandbox calls it
 * on creation and the jest setup file calls it before each test file.
 */

const INSTALLED = Symbol.for('finding-sync.sandbox.globals');

type Fetch = typeof globalThis.fetch;

export function installForgeGlobals(): void {
  const g = globalThis as typeof globalThis & { [INSTALLED]?: boolean; __forge_fetch__?: unknown };
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;
  installSandboxClock();

  g.__forge_fetch__ = (target: { type: string }, path: string, init?: RequestInit) => {
    const invocation = currentInvocation();
    if (!invocation) {
      return Promise.reject(
        new Error(
          'Forge SDK call outside an app invocation: the sandbox only serves calls made by an invoked function',
        ),
      );
    }
    return invocation.host.fetch(target, path, init);
  };

  Object.defineProperty(globalThis, '__forge_runtime__', {
    configurable: true,
    get() {
      const invocation = currentInvocation();
      return invocation ? invocation.host.runtime(invocation) : undefined;
    },
  });

  // Loaded by path: @forge/api's index (which captures fetch) must not load before the gate.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ExternalEndpointNotAllowedError } = require('@forge/api/out/api/errors') as {
    ExternalEndpointNotAllowedError: new (url: string) => Error;
  };
  const original: Fetch = globalThis.fetch;
  const gated: Fetch = async (input, init) => {
    const invocation = currentInvocation();
    if (!invocation) return original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const allowed = isEgressAllowed(url, invocation.host.egressAllowlist);
    invocation.host.egressLog.push({ url, allowed, functionKey: invocation.functionKey });
    if (!allowed) throw new ExternalEndpointNotAllowedError(url);
    if (invocation.terminated) throw new Error(`invocation ${invocation.id} was terminated: ${invocation.terminated}`);
    return original(input, init);
  };
  globalThis.fetch = gated;

  for (const level of APP_LOG_LEVELS) {
    const write = console[level].bind(console) as (...args: unknown[]) => void;
    console[level] = (...args: unknown[]) => {
      const invocation = currentInvocation();
      if (invocation) invocation.host.appLog(invocation, level, args);
      else write(...args);
    };
  }
}
