/**
 * Refreshes the vendored copy of Atlassian's Jira Cloud platform REST API v3 OpenAPI document that
 * the Jira emulator and the manifest's scope lint read (`sandbox/jira/openapi/jira-platform-v3.openapi.json`),
 * or writes it to the path given as the first argument. Needs network access:
 *   npx tsx sandbox/tools/fetch-jira-spec.ts [output-path]
 * The document is Atlassian's (Apache 2.0); after refreshing, update the version and date in
 * sandbox/jira/openapi/README.md and run `npm test`.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const SOURCE_URL = 'https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json';
const DEFAULT_OUTPUT = path.resolve(__dirname, '..', 'jira', 'openapi', 'jira-platform-v3.openapi.json');

const OpenApiDocumentSchema = z.looseObject({
  openapi: z.string().startsWith('3.'),
  info: z.looseObject({ version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()) }),
});

async function main(): Promise<void> {
  const output = path.resolve(process.argv[2] ?? DEFAULT_OUTPUT);
  const response = await fetch(SOURCE_URL, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${SOURCE_URL} answered ${response.status} ${response.statusText}`);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${SOURCE_URL} did not return JSON: ${(error as Error).message}`);
  }
  const parsed = OpenApiDocumentSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `${SOURCE_URL} is not an OpenAPI 3 document: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  for (const required of ['/rest/api/3/issue', '/rest/api/3/issue/bulk', '/rest/api/3/search/jql']) {
    if (!(required in parsed.data.paths))
      throw new Error(`The downloaded document has no ${required}; refusing to replace the local copy.`);
  }
  await mkdir(path.dirname(output), { recursive: true });
  const temporary = `${output}.download`;
  await writeFile(temporary, text);
  await rename(temporary, output);
  console.log(
    `Saved ${Object.keys(parsed.data.paths).length} paths (info.version ${parsed.data.info.version}) to ${output}`,
  );
}

main().catch((error: unknown) => {
  console.error(`fetch-jira-spec: ${(error as Error).message}`);
  process.exitCode = 1;
});
