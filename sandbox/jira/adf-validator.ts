import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import { formatAjvErrors } from './openapi-validator';

/**
 * Layer 2: Atlassian Document Format. Jira REST v3 accepts `description`, `environment`, textarea
 * custom fields and comment bodies only as ADF; the check uses the JSON schema that ships with
 * `@atlaskit/adf-schema` (draft-04 in name, but it only uses keywords Ajv's default draft knows).
 */

let compiled: ValidateFunction | undefined;

function adfValidator(): ValidateFunction {
  if (!compiled) {
    const schemaPath = require.resolve('@atlaskit/adf-schema/json-schema/v1/full.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    delete schema['$schema'];
    // Not inlining the schema's many $refs and skipping code optimisation cuts compile time ~4x (measured).
    const ajv = new Ajv({ strict: false, allErrors: false, inlineRefs: false, code: { optimize: false } });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Returns null when `value` is a valid ADF document, otherwise the reasons it is not. */
export function checkAdfDocument(value: unknown): string[] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['not an ADF document object'];
  const validate = adfValidator();
  if (validate(value)) return null;
  return formatAjvErrors(validate.errors, 'adf');
}

/** Plain text of an ADF document (used for changelog strings, JQL `~` and the HTML board). */
export function extractAdfText(value: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: unknown; text?: unknown; content?: unknown };
    if (typeof n.text === 'string') parts.push(n.text);
    if (Array.isArray(n.content)) {
      n.content.forEach(walk);
      if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'listItem') parts.push('\n');
    }
  };
  walk(value);
  return parts.join('').replace(/\n+$/, '');
}
