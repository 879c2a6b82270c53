/**
 * What the `page.evaluate` callbacks reach in the browser. The test program is type-checked as
 * Node code (no DOM library), so a callback names the few browser globals it uses through this view:
 * `(globalThis as unknown as BrowserGlobals).document`. Types only: a callback is serialized into the
 * page, so it cannot use anything imported at run time.
 */
export interface BrowserGlobals {
  document: { activeElement: { textContent: string | null } | null };
  navigator: { clipboard: { readText(): Promise<string> } };
  /** The Custom UI bridge that Jira (here, the sandbox's shim) injects into the iframe. */
  __bridge: { callBridge(method: string, payload?: unknown): Promise<unknown> };
}
