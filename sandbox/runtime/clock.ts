/**
 * The sandbox's one clock. On Forge, a queue event delayed 60 s runs 60 s later, and by then Jira's
 * search index, KVS TTLs, leases and the app's own `new Date()` have all moved 60 s on. The sandbox
 * skips such waits (`settle()`), so skipping must move every clock at once: the app's `Date`, KVS,
 * the Jira emulator (search index lag, points quota window), the queue broker and the product-event
 * dispatcher. `installSandboxClock()` makes `Date.now()` and `new Date()` read real time plus the
 * skipped time; `sandboxClock.advance(ms)` skips.
 *
 * Time only moves forward, and the skipped time is shared by every sandbox in a process (one global
 * `Date`), as one wall clock would be.
 */

const INSTALLED = Symbol.for('finding-sync.sandbox.clock');

type ClockState = { offsetMs: number; realNow: () => number };

function state(): ClockState {
  const g = globalThis as typeof globalThis & { [INSTALLED]?: ClockState };
  if (!g[INSTALLED]) {
    const RealDate = Date;
    const clock: ClockState = { offsetMs: 0, realNow: () => RealDate.now() };
    g[INSTALLED] = clock;
    const now = () => clock.realNow() + clock.offsetMs;
    // A function (not a class) so that `Date()` without `new` still answers a string, as it does natively.
    function SandboxDate(this: unknown, ...args: unknown[]): Date | string {
      if (!new.target) return new RealDate(now()).toString();
      if (args.length === 0) return new RealDate(now());
      return new (RealDate as unknown as new (...a: unknown[]) => Date)(...args);
    }
    Object.setPrototypeOf(SandboxDate, RealDate);
    SandboxDate.prototype = RealDate.prototype;
    Object.defineProperty(SandboxDate, 'now', { value: now, writable: true, configurable: true });
    globalThis.Date = SandboxDate as unknown as DateConstructor;
  }
  return g[INSTALLED];
}

/** Makes `Date` read the sandbox clock (once per global object; called by `installForgeGlobals`). */
export function installSandboxClock(): void {
  state();
}

export const sandboxClock = {
  /** Milliseconds since the epoch, as `Date.now()` reads it (real time + skipped time). */
  now(): number {
    state();
    return Date.now();
  },
  /** Skips `ms` of time for everything in the process (never backwards). */
  advance(ms: number): void {
    if (ms > 0) state().offsetMs += ms;
  },
  /** Time skipped so far. */
  get skippedMs(): number {
    return state().offsetMs;
  },
};
