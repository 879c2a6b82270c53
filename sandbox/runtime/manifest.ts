import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * Reads manifest.yml the way the Forge platform does for the parts the sandbox needs: functions and
 * their handlers, the modules that invoke them, timeouts, and the egress allowlist. Environment
 * variables (`${NAME}` with `environment.variables`) are interpolated as `forge deploy` does.
 */

const FunctionSchema = z.object({
  key: z.string(),
  handler: z.string().regex(/^[\w./-]+\.[A-Za-z_$][\w$]*$/, 'handler must be <file>.<export>'),
  timeoutSeconds: z.number().int().min(1).max(900).optional(),
});

const ManifestSchema = z.object({
  app: z.object({ id: z.string(), runtime: z.object({ name: z.string() }) }),
  modules: z.object({
    function: z.array(FunctionSchema),
    webtrigger: z
      .array(
        z.object({
          key: z.string(),
          function: z.string(),
          response: z.object({ type: z.string() }).optional(),
          urlFormat: z.string().optional(),
        }),
      )
      .default([]),
    consumer: z.array(z.object({ key: z.string(), queue: z.string(), function: z.string() })).default([]),
    trigger: z
      .array(
        z.object({
          key: z.string(),
          function: z.string(),
          events: z.array(z.string()),
          filter: z.object({ ignoreSelf: z.boolean().optional() }).optional(),
        }),
      )
      .default([]),
    scheduledTrigger: z.array(z.object({ key: z.string(), function: z.string(), interval: z.string() })).default([]),
    'jira:adminPage': z
      .array(
        z.object({
          key: z.string(),
          resource: z.string(),
          resolver: z.object({ function: z.string() }),
          title: z.string(),
        }),
      )
      .default([]),
    'jira:entityProperty': z
      .array(
        z.object({
          key: z.string(),
          entityType: z.string().default('issue'),
          propertyKey: z.string(),
          values: z.array(z.object({ path: z.string(), type: z.enum(['string', 'number', 'date', 'text', 'user']) })),
        }),
      )
      .default([]),
  }),
  resources: z.array(z.object({ key: z.string(), path: z.string() })).default([]),
  environment: z
    .object({
      variables: z
        .array(z.union([z.string(), z.object({ key: z.string(), default: z.string().optional() })]))
        .default([]),
    })
    .optional(),
  permissions: z
    .object({
      scopes: z.array(z.string()).default([]),
      external: z
        .object({
          fetch: z
            .object({ backend: z.array(z.union([z.string(), z.object({ address: z.string() })])).default([]) })
            .optional(),
        })
        .optional(),
    })
    .default({ scopes: [] }),
});

export type ModuleType = 'webtrigger' | 'consumer' | 'trigger' | 'scheduledTrigger' | 'jira:adminPage';

/** Default invocation timeouts per module type, in seconds, as Forge applies them (sandbox/README.md, invoker). */
export const DEFAULT_TIMEOUT_SECONDS: Record<ModuleType, number> = {
  webtrigger: 55,
  consumer: 55,
  trigger: 25,
  scheduledTrigger: 55,
  'jira:adminPage': 25,
};

export interface FunctionDefinition {
  key: string;
  /** Path of the handler's source file relative to the app root, without extension (e.g. `src/index`). */
  file: string;
  exportName: string;
  timeoutSeconds?: number;
}

export interface AppManifest {
  root: string;
  appId: string;
  runtime: string;
  functions: Map<string, FunctionDefinition>;
  webtriggers: { key: string; functionKey: string; dynamicResponse: boolean }[];
  consumers: { key: string; queue: string; functionKey: string }[];
  triggers: { key: string; functionKey: string; events: string[]; ignoreSelf: boolean }[];
  scheduledTriggers: { key: string; functionKey: string; interval: string }[];
  adminPages: { key: string; resourceKey: string; resourcePath: string; resolverFunctionKey: string; title: string }[];
  /** `jira:entityProperty` modules: which issue-property paths JQL can search. */
  entityProperties: {
    propertyKey: string;
    entityType: string;
    values: { path: string; type: 'string' | 'number' | 'date' | 'text' | 'user' }[];
  }[];
  scopes: string[];
  egress: string[];
  /** The module that invokes a function, and so decides its default timeout. */
  moduleTypeOf(functionKey: string): ModuleType;
  timeoutMsOf(functionKey: string): number;
}

function interpolate(
  text: string,
  declared: Map<string, string | undefined>,
  env: Record<string, string | undefined>,
): string {
  return text.replace(/\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (original, name: string) => {
    if (!declared.has(name)) return original;
    const value = env[name] ?? declared.get(name);
    if (value === undefined) throw new Error(`manifest.yml uses \${${name}} but no value or default is set`);
    return value;
  });
}

export function loadManifest(root: string, env: Record<string, string | undefined> = {}): AppManifest {
  const raw = parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8')) as unknown;
  const declared = new Map<string, string | undefined>();
  const variables = (raw as { environment?: { variables?: unknown[] } })?.environment?.variables ?? [];
  for (const variable of variables) {
    if (typeof variable === 'string') declared.set(variable, undefined);
    else if (variable && typeof variable === 'object' && 'key' in variable) {
      const v = variable as { key: string; default?: string };
      declared.set(v.key, v.default);
    }
  }
  const interpolated = JSON.parse(JSON.stringify(raw), (_key, value: unknown) =>
    typeof value === 'string' ? interpolate(value, declared, env) : value,
  ) as unknown;
  const parsed = ManifestSchema.safeParse(interpolated);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`manifest.yml is not usable by the sandbox: ${problems}`);
  }
  const m = parsed.data;
  const functions = new Map<string, FunctionDefinition>();
  for (const fn of m.modules.function) {
    const dot = fn.handler.lastIndexOf('.');
    functions.set(fn.key, {
      key: fn.key,
      file: path.posix.join('src', fn.handler.slice(0, dot)),
      exportName: fn.handler.slice(dot + 1),
      timeoutSeconds: fn.timeoutSeconds,
    });
  }
  const requireFunction = (functionKey: string, moduleKey: string): string => {
    if (!functions.has(functionKey))
      throw new Error(`manifest.yml: module '${moduleKey}' refers to unknown function '${functionKey}'`);
    return functionKey;
  };
  const moduleTypes = new Map<string, ModuleType>();
  const note = (functionKey: string, type: ModuleType) => {
    if (!moduleTypes.has(functionKey)) moduleTypes.set(functionKey, type);
  };
  const webtriggers = m.modules.webtrigger.map((w) => {
    note(w.function, 'webtrigger');
    return {
      key: w.key,
      functionKey: requireFunction(w.function, w.key),
      dynamicResponse: w.response?.type === 'dynamic',
    };
  });
  const consumers = m.modules.consumer.map((c) => {
    note(c.function, 'consumer');
    return { key: c.key, queue: c.queue, functionKey: requireFunction(c.function, c.key) };
  });
  const triggers = m.modules.trigger.map((t) => {
    note(t.function, 'trigger');
    return {
      key: t.key,
      functionKey: requireFunction(t.function, t.key),
      events: t.events,
      ignoreSelf: t.filter?.ignoreSelf === true,
    };
  });
  const scheduledTriggers = m.modules.scheduledTrigger.map((s) => {
    note(s.function, 'scheduledTrigger');
    return { key: s.key, functionKey: requireFunction(s.function, s.key), interval: s.interval };
  });
  const adminPages = m.modules['jira:adminPage'].map((a) => {
    note(a.resolver.function, 'jira:adminPage');
    const resource = m.resources.find((r) => r.key === a.resource);
    if (!resource) throw new Error(`manifest.yml: admin page '${a.key}' refers to unknown resource '${a.resource}'`);
    return {
      key: a.key,
      resourceKey: a.resource,
      resourcePath: resource.path,
      resolverFunctionKey: requireFunction(a.resolver.function, a.key),
      title: a.title,
    };
  });
  const egress = (m.permissions.external?.fetch?.backend ?? []).map((e) => (typeof e === 'string' ? e : e.address));
  return {
    root,
    appId: m.app.id,
    runtime: m.app.runtime.name,
    functions,
    webtriggers,
    consumers,
    triggers,
    scheduledTriggers,
    adminPages,
    entityProperties: m.modules['jira:entityProperty'].map((e) => ({
      propertyKey: e.propertyKey,
      entityType: e.entityType,
      values: e.values,
    })),
    scopes: m.permissions.scopes,
    egress,
    moduleTypeOf(functionKey) {
      const type = moduleTypes.get(functionKey);
      if (!type) throw new Error(`function '${functionKey}' is not used by any module`);
      return type;
    },
    timeoutMsOf(functionKey) {
      const fn = functions.get(functionKey);
      if (!fn) throw new Error(`unknown function '${functionKey}'`);
      return 1000 * (fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS[this.moduleTypeOf(functionKey)]);
    },
  };
}
