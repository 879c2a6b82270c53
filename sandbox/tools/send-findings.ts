/**
 * `npm run send -- <file.json|file.sarif> [--url U] [--secret S] [--asset A] [--asset-name N] [--source S]`
 *
 * The platform side of the ingest contract (README "Ingest contract"): signs a findings file
 * (a batch `{source, findings}`, a single finding, or a SARIF 2.1.0 log) with HMAC-SHA256 over
 * `<t>.<raw body>` and POSTs it to the app's web trigger, then prints the status and the answer.
 *
 * Where it posts, in order: `--url/--secret`; env `FINDING_SYNC_URL/FINDING_SYNC_SECRET`; the running
 * sandbox (`npm start`): `.sandbox-data/demo.json` (`webTriggerUrl`, `secret`), else the web trigger
 * id in `.sandbox-data/state.json` on `http://127.0.0.1:${PORT:-4100}`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { signPayload } from '../../src/domain/signature';

const DemoSchema = z
  .object({ secret: z.string().optional(), webTriggerUrl: z.string().url().optional() })
  .passthrough();
const StateSchema = z.object({ webtriggers: z.object({ ids: z.record(z.string(), z.string()) }) }).passthrough();

const USAGE = `usage: npm run send -- <file.json|file.sarif> [options]

Signs a findings file (a batch {source, findings}, one finding, or a SARIF 2.1.0 log) with the shared
secret and POSTs it to the app's ingest web trigger; prints the status and the answer.

  --url <url>             the web trigger URL (else env FINDING_SYNC_URL, else the running sandbox)
  --secret <hex>          the shared secret (else env FINDING_SYNC_SECRET, else the running sandbox)
  --asset <id>            --asset-name <name>   --source <name>   query parameters of the request
  --content-type <type>   default: application/sarif+json for SARIF, else application/json
  --data-dir <dir>        the sandbox's data directory (default .sandbox-data/)
  -h, --help              print this and exit

Exit code: 0 when the app accepted the file, 1 when it answered with an error, 2 on a usage error.`;

function fail(message: string): never {
  console.error(`send: ${message}`);
  process.exit(2);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function sandboxTarget(dataDir: string): { url?: string; secret?: string } {
  const demoFile = path.join(dataDir, 'demo.json');
  const demo = existsSync(demoFile) ? DemoSchema.safeParse(readJson(demoFile)) : undefined;
  let url = demo?.success ? demo.data.webTriggerUrl : undefined;
  const stateFile = path.join(dataDir, 'state.json');
  if (!url && existsSync(stateFile)) {
    const state = StateSchema.safeParse(readJson(stateFile));
    const id = state.success ? state.data.webtriggers.ids['ingest-webtrigger'] : undefined;
    if (id) url = `http://127.0.0.1:${process.env.PORT ?? '4100'}/x1/${id}`;
  }
  return { url, secret: demo?.success ? demo.data.secret : undefined };
}

function withQuery(url: string, query: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(name, value);
  return target.toString();
}

function parseSendArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      url: { type: 'string' },
      secret: { type: 'string' },
      asset: { type: 'string' },
      'asset-name': { type: 'string' },
      source: { type: 'string' },
      'data-dir': { type: 'string' },
      'content-type': { type: 'string' },
    },
  });
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseSendArgs>;
  try {
    args = parseSendArgs(process.argv.slice(2));
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const file = positionals[0];
  if (!file) fail(`no file given\n\n${USAGE}`);
  if (!existsSync(file)) fail(`no such file: ${file}`);
  const body = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    fail(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const looksSarif =
    /\.sarif(\.json)?$/i.test(file) ||
    (typeof parsed === 'object' && parsed !== null && 'runs' in parsed && 'version' in parsed);
  const contentType = values['content-type'] ?? (looksSarif ? 'application/sarif+json' : 'application/json');

  const fromSandbox = sandboxTarget(
    path.resolve(values['data-dir'] ?? path.join(__dirname, '..', '..', '.sandbox-data')),
  );
  const url = values.url ?? process.env.FINDING_SYNC_URL ?? fromSandbox.url;
  const secret = values.secret ?? process.env.FINDING_SYNC_SECRET ?? fromSandbox.secret;
  if (!url) fail('no web trigger URL: pass --url, set FINDING_SYNC_URL, or start the sandbox with `npm start`');
  if (!secret) fail('no signing secret: pass --secret, set FINDING_SYNC_SECRET, or start the sandbox with `npm start`');

  const target = withQuery(url, { asset: values.asset, assetName: values['asset-name'], source: values.source });
  const t = Math.floor(Date.now() / 1000);
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': contentType, 'X-Signature': signPayload(secret, body, t) },
      body,
    });
  } catch (error) {
    return fail(`POST ${target} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  const { pathname, search } = new URL(target);
  console.log(
    `POST ${pathname}${search} (${contentType}, ${Buffer.byteLength(body)} bytes) ` +
      `→ ${response.status} in ${Date.now() - started} ms`,
  );
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
  process.exit(response.ok ? 0 : 1);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
