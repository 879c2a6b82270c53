import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The Content-Security-Policy the sandbox sends with the page, built from manifest.yml the way
 * Forge builds the Custom UI iframe's policy: only the app's own resources, plus what
 * `permissions.content` and `permissions.external` allow. So an inline script or a call to an
 * undeclared origin fails here as it would in Jira.
 */

const ExternalEntrySchema = z.union([z.string(), z.object({ address: z.string() }).passthrough()]);
const ExternalListSchema = z.array(ExternalEntrySchema).optional();

const ManifestPermissionsSchema = z.object({
  permissions: z
    .object({
      content: z
        .object({
          scripts: z.array(z.enum(['unsafe-inline', 'unsafe-hashes', 'unsafe-eval', 'blob:'])).optional(),
          styles: z.array(z.enum(['unsafe-inline'])).optional(),
        })
        .optional(),
      external: z
        .object({
          fetch: z.object({ client: ExternalListSchema }).passthrough().optional(),
          images: ExternalListSchema,
          styles: ExternalListSchema,
          scripts: ExternalListSchema,
          fonts: ExternalListSchema,
          frames: ExternalListSchema,
          media: ExternalListSchema,
        })
        .passthrough()
        .optional(),
    })
    .passthrough()
    .optional(),
});

type ExternalList = z.infer<typeof ExternalListSchema>;

function sources(list: ExternalList): string[] {
  return (list ?? [])
    .map((entry) => (typeof entry === 'string' ? entry : entry.address))
    .filter((address) => !address.includes('${')); // manifest variables are resolved by `forge deploy`, not here
}

function keyword(value: string): string {
  return value.endsWith(':') ? value : `'${value}'`;
}

/** Builds the page's CSP from the app's manifest.yml; throws with the manifest's path on a bad entry. */
export function buildContentSecurityPolicy(appRoot: string): string {
  const file = path.join(appRoot, 'manifest.yml');
  const parsed = ManifestPermissionsSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${file}: permissions are not valid for Custom UI: ${problems}`);
  }
  const permissions = parsed.data.permissions;
  const content = permissions?.content;
  const external = permissions?.external;
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...(content?.scripts ?? []).map(keyword), ...sources(external?.scripts)]],
    ['style-src', ["'self'", ...(content?.styles ?? []).map(keyword), ...sources(external?.styles)]],
    ['img-src', ["'self'", 'data:', 'blob:', ...sources(external?.images)]],
    ['font-src', ["'self'", 'data:', ...sources(external?.fonts)]],
    ['connect-src', ["'self'", ...sources(external?.fetch?.client)]],
    ['frame-src', sources(external?.frames).length ? sources(external?.frames) : ["'none'"]],
    ['media-src', ["'self'", ...sources(external?.media)]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}
