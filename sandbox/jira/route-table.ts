import type { HttpMethod, OperationRef } from './openapi-validator';
import { commentRoutes } from './handlers/comment-handlers';
import { issueRoutes } from './handlers/issue-handlers';
import { metadataRoutes } from './handlers/metadata-handlers';
import { searchRoutes } from './handlers/search-handlers';
import { userRoutes } from './handlers/user-handlers';
import type { RouteDefinition } from './handlers/handler-context';

/** Every operation the emulator serves; only these are compiled from the OpenAPI document. */
export const ROUTES: RouteDefinition[] = [
  ...metadataRoutes,
  ...issueRoutes,
  ...commentRoutes,
  ...searchRoutes,
  ...userRoutes,
];

export const SERVED_OPERATIONS: OperationRef[] = ROUTES.map((r) => ({ method: r.method, template: r.template }));

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
}

const compiled: CompiledRoute[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return {
    route,
    pattern: new RegExp(`^${source}$`),
    names,
    literalSegments: route.template.split('/').filter((s) => s && !s.startsWith('{')).length,
  };
}).sort((a, b) => b.literalSegments - a.literalSegments);

export type RouteMatch =
  | { kind: 'found'; route: RouteDefinition; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' };

export function matchRoute(method: string, pathname: string): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const c of compiled) {
    const m = c.pattern.exec(pathname);
    if (!m) continue;
    if (c.route.method !== method) {
      allowed.push(c.route.method);
      continue;
    }
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { kind: 'found', route: c.route, params };
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
}
