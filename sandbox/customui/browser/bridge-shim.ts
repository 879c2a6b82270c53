/**
 * Runs in the page, before the app's bundle (served as ./__sandbox/bridge.js, bundled by esbuild
 * when the Custom UI server starts). Jira injects `window.__bridge` into a Custom UI iframe and
 * `@forge/bridge` reads it when first imported; this is the sandbox's stand-in for it.
 */
export {};

interface BridgeAnswer {
  result?: unknown;
  error?: { message?: unknown };
}

declare global {
  interface Window {
    __bridge?: { callBridge: (method: string, payload?: unknown) => Promise<unknown> };
  }
}

// Resolve endpoints next to this script, so the page works under any base path.
const scriptUrl = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : location.href;
const endpoint = (name: string): string => new URL(name, scriptUrl).toString();

async function request(name: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(endpoint(name), { credentials: 'same-origin', ...init });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The sandbox bridge could not reach the sandbox server (${reason})`);
  }
  let answer: BridgeAnswer | undefined;
  try {
    answer = (await response.json()) as BridgeAnswer;
  } catch {
    answer = undefined;
  }
  if (!response.ok || !answer || typeof answer !== 'object') {
    const message =
      typeof answer?.error?.message === 'string'
        ? answer.error.message
        : `HTTP ${response.status} from the sandbox bridge`;
    throw new Error(message);
  }
  return answer.result;
}

interface InvokePayload {
  functionKey?: unknown;
  payload?: unknown;
  metadata?: unknown;
}

function invoke(payload: unknown): Promise<unknown> {
  const call = (payload ?? {}) as InvokePayload;
  if (call.metadata !== undefined) {
    return Promise.reject(
      new Error(
        'invoke(..., metadata) is not supported by the sandbox: call invoke(functionKey, payload) without metadata',
      ),
    );
  }
  return request('invoke', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ functionKey: call.functionKey, payload: call.payload }),
  });
}

const SUPPORTED = ['invoke', 'getContext'];

async function callBridge(method: string, payload?: unknown): Promise<unknown> {
  switch (method) {
    case 'invoke':
      return invoke(payload);
    case 'getContext':
      return request('context', { method: 'GET', headers: { accept: 'application/json' } });
    default:
      throw new Error(`@forge/bridge '${method}' is not supported by the sandbox (supported: ${SUPPORTED.join(', ')})`);
  }
}

window.__bridge = { callBridge };
