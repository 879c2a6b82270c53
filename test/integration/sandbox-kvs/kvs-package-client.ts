import type { Kvs } from '@forge/kvs/out/interfaces/kvs';
import { KvsImpl } from '@forge/kvs/out/kvs';
import { StorageApi } from '@forge/kvs/out/storage-api';
import type { ServiceResponse } from '../../../sandbox/http/types';
import { createKvsService, type KvsService, type KvsServiceOptions } from '../../../sandbox/kvs';

/**
 * The real @forge/kvs client (its own KvsImpl + StorageApi, unmodified) over a transport that hands
 * each request to the sandbox service, the way the runtime's `__forge_fetch__` will. Nothing of
 * @forge is mocked: only the transport, which the package takes as a constructor argument.
 */
export interface RecordedRequest {
  path: string;
  body: unknown;
}

type ApiClient = (path: string, init?: RequestInit) => Promise<Response>;

export function toFetchResponse(response: ServiceResponse): Response {
  const body = response.body === undefined || response.body === '' ? null : response.body;
  return new Response(body, { status: response.status, headers: response.headers });
}

export function createPackageClient(service: KvsService): { kvs: Kvs; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const apiClient: ApiClient = async (path, init) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    requests.push({ path, body: body === undefined ? undefined : JSON.parse(body) });
    return toFetchResponse(service.handle(path, body));
  };
  return { kvs: new KvsImpl(new StorageApi(apiClient)), requests };
}

/** A manual clock for TTL and quota windows. */
export function createClock(start = Date.UTC(2025, 0, 1, 12, 0, 0)): { now: () => number; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}

export function createSandboxKvs(options: KvsServiceOptions = {}): {
  service: KvsService;
  kvs: Kvs;
  requests: RecordedRequest[];
} {
  const service = createKvsService(options);
  return { service, ...createPackageClient(service) };
}

/**
 * The exact body the package sends for one call, captured without any server: the call is made
 * against a transport that records it and answers 204.
 */
export async function captureRequest(call: (kvs: Kvs) => Promise<unknown>): Promise<RecordedRequest> {
  const requests: RecordedRequest[] = [];
  const apiClient: ApiClient = async (path, init) => {
    if (typeof init?.body !== 'string') throw new Error(`expected a JSON text body for ${path}`);
    requests.push({ path, body: JSON.parse(init.body) });
    return new Response(null, { status: 204 });
  };
  await call(new KvsImpl(new StorageApi(apiClient))).catch(() => undefined);
  const [request] = requests;
  if (request === undefined || requests.length !== 1) throw new Error(`expected one request, got ${requests.length}`);
  return request;
}

export function parseBody(response: ServiceResponse): unknown {
  return response.body === undefined || response.body === '' ? undefined : JSON.parse(response.body);
}
