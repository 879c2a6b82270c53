import type { ServiceRequest, ServiceResponse } from '../http/types';
import { currentInvocation, type Invocation } from './context';

/**
 * `globalThis.__forge_fetch__(target, path, init)` is the single door through which every backend
 * @forge/* SDK call leaves the app: `requestJira` ({type:'fpp', remote:'jira', provider}), KVS
 * ({type:'kvs'}), queue pushes and web trigger URLs ({type:'fpp', remote:'stargate'}). The sandbox
 * routes each target to its in-process service and hands the package a real WHATWG Response.
 */

export interface ForgeFetchTarget {
  type: string;
  provider?: string;
  remote?: string;
  accountId?: string;
}

export type JiraCaller = { kind: 'app' } | { kind: 'user'; accountId: string };

export interface ForgeServices {
  kvs(path: string, body: string | undefined): ServiceResponse | Promise<ServiceResponse>;
  jira(request: ServiceRequest, caller: JiraCaller): Promise<ServiceResponse>;
  stargate(request: ServiceRequest, invocation: Invocation): Promise<ServiceResponse>;
}

export interface SdkCallRecord {
  target: string;
  method: string;
  path: string;
  status: number;
  functionKey?: string;
}

function headersToRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => (out[name.toLowerCase()] = value));
    return out;
  }
  if (Array.isArray(headers)) {
    for (const [name, value] of headers as [string, string][]) out[name.toLowerCase()] = String(value);
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value !== undefined) out[name.toLowerCase()] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

async function bodyToString(body: unknown): Promise<string | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  if (body instanceof URLSearchParams) return body.toString();
  return new Response(body as ConstructorParameters<typeof Response>[0]).text();
}

export function toFetchResponse(response: ServiceResponse): Response {
  const noBody = response.status === 204 || response.status === 304 || response.status < 200;
  return new Response(noBody ? null : (response.body ?? ''), {
    status: response.status,
    headers: response.headers ?? {},
  });
}

function proxyError(status: number, reason: string): ServiceResponse {
  return {
    status,
    headers: { 'forge-proxy-error': reason, 'content-type': 'application/json' },
    body: JSON.stringify({ message: reason }),
  };
}

function describeTarget(target: ForgeFetchTarget): string {
  return [target.type, target.provider, target.remote].filter(Boolean).join(':');
}

export function createForgeFetch(services: ForgeServices, log: SdkCallRecord[]) {
  return async function forgeFetch(target: ForgeFetchTarget, path: string, init: RequestInit = {}): Promise<Response> {
    const invocation = currentInvocation();
    if (!invocation)
      throw new Error(
        'Forge SDK call outside an app invocation: the sandbox only serves calls made by an invoked function',
      );
    if (invocation.terminated) throw new Error(`invocation ${invocation.id} was terminated: ${invocation.terminated}`);
    invocation.sdkCalls += 1;
    const request: ServiceRequest = {
      method: (init.method ?? 'GET').toUpperCase(),
      path,
      headers: headersToRecord(init.headers),
      body: await bodyToString(init.body),
    };
    let response: ServiceResponse;
    if (target.type === 'kvs') {
      response = await services.kvs(path, request.body);
    } else if (target.type === 'fpp' && target.remote === 'jira') {
      if (target.provider === 'user') {
        const accountId = target.accountId ?? invocation.principalAccountId;
        response = accountId
          ? await services.jira(request, { kind: 'user', accountId })
          : proxyError(401, 'NEEDS_AUTHENTICATION_ERR');
      } else {
        response = await services.jira(request, { kind: 'app' });
      }
    } else if (target.type === 'fpp' && target.remote === 'stargate') {
      response = await services.stargate(request, invocation);
    } else {
      response = proxyError(403, 'INVALID_REMOTE_ERR');
    }
    log.push({
      target: describeTarget(target),
      method: request.method,
      path,
      status: response.status,
      functionKey: invocation.functionKey,
    });
    const stall = invocation.stallAfterSdkCall;
    if (stall && stall.matches({ target: describeTarget(target), method: request.method, path })) {
      invocation.stallAfterSdkCall = undefined;
      stall.onStalled?.();
      await stall.until;
    }
    // A simulated crash: the call reached its service (Jira created the issue, KVS stored the value)
    // but the function dies before it sees the answer.
    if (invocation.killAfterSdkCalls !== undefined && invocation.sdkCalls >= invocation.killAfterSdkCalls) {
      invocation.terminated = 'killed by the sandbox (simulated crash)';
    }
    if (invocation.terminated) throw new Error(`invocation ${invocation.id} was terminated: ${invocation.terminated}`);
    return toFetchResponse(response);
  };
}
