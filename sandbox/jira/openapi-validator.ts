import { readFileSync, existsSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Layer 1 of the emulator's strictness: requests are checked against Atlassian's own OpenAPI
 * document, responses are checked in warn-only mode (the document's schemas are stricter than
 * what Jira sends, see sandbox/jira/openapi/README.md). Only the operations the emulator serves are
 * compiled, and each one lazily on first use, so start-up costs a JSON parse.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface OperationRef {
  method: HttpMethod;
  /** The path template exactly as it appears in the OpenAPI document, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  template: string;
}

export interface RequestProblem {
  /** `query` for a bad query parameter, `body` for a bad JSON body. */
  where: 'query' | 'body';
  messages: string[];
}

export interface OpenApiValidator {
  readonly specPath: string;
  readonly operationCount: number;
  /** Coerces query values in place (e.g. `"50"` → 50) and reports what does not match the document. */
  validateRequest(
    op: OperationRef,
    query: Record<string, unknown>,
    body: unknown,
    hasBody: boolean,
  ): RequestProblem | null;
  /** Returns the schema violations of a response body (empty when it matches or has no schema). */
  validateResponse(op: OperationRef, status: number, body: unknown): string[];
  /** Compiles every served operation now (used by the start-up measurement). */
  compileAll(): void;
}

interface SpecParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface SpecOperation {
  operationId?: string;
  parameters?: SpecParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
interface SpecDocument {
  paths: Record<string, Record<string, SpecOperation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const COMPONENTS_ID = 'jira-platform-v3';

const loaded = new Map<string, SpecDocument>();

/** Reads and patches the document once per process (a test file creating several emulators pays once). */
function loadSpec(specPath: string): SpecDocument {
  const cached = loaded.get(specPath);
  if (cached) return cached;
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as SpecDocument;
  if (!spec || typeof spec !== 'object' || !spec.paths || !spec.components?.schemas) {
    throw new Error(`${specPath} is not an OpenAPI 3 document (no paths/components.schemas)`);
  }
  patchKnownQuirks(spec);
  loaded.set(specPath, spec);
  return spec;
}

/** `Fields.issuetype` is a `$ref` with a sibling `description`, which some validators reject. */
function patchKnownQuirks(spec: SpecDocument): void {
  const fields = spec.components.schemas['Fields'] as
    { properties?: Record<string, Record<string, unknown>> } | undefined;
  const issuetype = fields?.properties?.['issuetype'];
  if (issuetype && typeof issuetype['$ref'] === 'string') {
    const { $ref, ...rest } = issuetype;
    fields.properties!['issuetype'] = { ...rest, allOf: [{ $ref }] };
  }
}

/** Rewrites document-local `#/components/...` references so that they resolve in the shared Ajv. */
function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/'))
      out[key] = `${COMPONENTS_ID}${value}`;
    else if (key === 'example' || key === 'examples') continue;
    else out[key] = rewriteRefs(value);
  }
  return out;
}

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    strict: false,
    discriminator: false,
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: false,
    inlineRefs: false,
    code: { optimize: false },
  });
  addFormats(ajv);
  for (const name of ['int32', 'int64'])
    ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const name of ['float', 'double']) ajv.addFormat(name, { type: 'number', validate: () => true });
  for (const name of ['binary', 'byte', 'password']) ajv.addFormat(name, () => true);
  return ajv;
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).slice(0, 10).map((e) => {
    const at = `${root}${e.instancePath}`;
    if (e.keyword === 'additionalProperties')
      return `${at} has unknown property '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`;
    return `${at} ${e.message ?? 'is invalid'}`;
  });
}

export function createOpenApiValidator(specPath: string, operations: OperationRef[]): OpenApiValidator {
  const spec = loadSpec(specPath);
  const components = rewriteRefs({ $id: COMPONENTS_ID, components: spec.components }) as Record<string, unknown>;
  const bodyAjv = makeAjv(false);
  const queryAjv = makeAjv(true);
  bodyAjv.addSchema(components);
  queryAjv.addSchema(components);

  const served = new Map<string, SpecOperation>();
  for (const op of operations) {
    const specOp = spec.paths[op.template]?.[op.method.toLowerCase()];
    if (!specOp) throw new Error(`The OpenAPI document has no operation ${op.method} ${op.template}`);
    served.set(`${op.method} ${op.template}`, specOp);
  }

  const queryValidators = new Map<string, ValidateFunction>();
  const bodyValidators = new Map<string, ValidateFunction | null>();
  const responseValidators = new Map<string, ValidateFunction | null>();

  function specOperation(op: OperationRef): SpecOperation {
    const found = served.get(`${op.method} ${op.template}`);
    if (!found) throw new Error(`Operation ${op.method} ${op.template} is not served by the emulator`);
    return found;
  }

  function queryValidator(op: OperationRef): ValidateFunction {
    const key = `${op.method} ${op.template}`;
    let validate = queryValidators.get(key);
    if (!validate) {
      const params = (specOperation(op).parameters ?? []).filter((p) => p.in === 'query');
      const properties: Record<string, unknown> = {};
      for (const p of params) {
        const schema = { ...(p.schema ?? {}) };
        delete schema['default'];
        if (schema['type'] === 'array' && schema['items'] && typeof schema['items'] === 'object') {
          const items = { ...(schema['items'] as Record<string, unknown>) };
          delete items['default'];
          schema['items'] = items;
        }
        properties[p.name] = rewriteRefs(schema);
      }
      const required = params.filter((p) => p.required).map((p) => p.name);
      validate = queryAjv.compile({ type: 'object', properties, required });
      queryValidators.set(key, validate);
    }
    return validate;
  }

  function bodyValidator(op: OperationRef): ValidateFunction | null {
    const key = `${op.method} ${op.template}`;
    if (!bodyValidators.has(key)) {
      const schema = specOperation(op).requestBody?.content?.['application/json']?.schema;
      bodyValidators.set(key, schema ? bodyAjv.compile(rewriteRefs(schema) as Record<string, unknown>) : null);
    }
    return bodyValidators.get(key) ?? null;
  }

  function responseValidator(op: OperationRef, status: number): ValidateFunction | null {
    const key = `${op.method} ${op.template} ${status}`;
    if (!responseValidators.has(key)) {
      const schema = specOperation(op).responses?.[String(status)]?.content?.['application/json']?.schema;
      const usable = schema && Object.keys(schema).length > 0 ? schema : null;
      responseValidators.set(key, usable ? bodyAjv.compile(rewriteRefs(usable) as Record<string, unknown>) : null);
    }
    return responseValidators.get(key) ?? null;
  }

  return {
    specPath,
    operationCount: served.size,
    validateRequest(op, query, body, hasBody) {
      const validateQuery = queryValidator(op);
      if (!validateQuery(query)) return { where: 'query', messages: formatAjvErrors(validateQuery.errors, 'query') };
      const specOp = specOperation(op);
      if (specOp.requestBody?.required && !hasBody)
        return { where: 'body', messages: ['No content to map due to end-of-input'] };
      if (hasBody) {
        const validateBody = bodyValidator(op);
        if (validateBody && !validateBody(body))
          return { where: 'body', messages: formatAjvErrors(validateBody.errors, 'body') };
      }
      return null;
    },
    validateResponse(op, status, body) {
      const validate = responseValidator(op, status);
      if (!validate || validate(body)) return [];
      return formatAjvErrors(validate.errors, 'response');
    },
    compileAll() {
      for (const [key, specOp] of served) {
        const [method, template] = key.split(' ') as [HttpMethod, string];
        const op = { method, template };
        queryValidator(op);
        bodyValidator(op);
        for (const status of Object.keys(specOp.responses ?? {})) {
          const n = Number(status);
          if (Number.isInteger(n)) responseValidator(op, n);
        }
      }
    },
  };
}

export function specFileExists(specPath: string): boolean {
  return existsSync(specPath);
}
