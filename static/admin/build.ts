/**
 * Builds the admin page (Custom UI resource `admin` in manifest.yml) into static/admin/build:
 * index.html + content-hashed main-<hash>.js / main-<hash>.css, all referenced with relative URLs,
 * no inline script (Forge's Content Security Policy forbids it). The production build (what
 * `forge deploy` uploads) has no source maps; the development build has them.
 *
 *   npx tsx static/admin/build.ts            # production build (npm run build:admin)
 *   npx tsx static/admin/build.ts --dev      # unminified, with source maps, quicker to read
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ADMIN_PAGE_BUILD_DIR = path.join(__dirname, 'build');

export interface BuildAdminPageOptions {
  /** Where to write the page (default static/admin/build). The directory is replaced as a whole. */
  outDir?: string;
  /** Minify (default true). */
  minify?: boolean;
  /** Write linked source maps (default false: a deployed page ships none). */
  sourceMaps?: boolean;
}

export interface AdminPageBuild {
  outDir: string;
  /** Files written, relative to outDir. */
  files: string[];
  durationMs: number;
}

/** The bundle entries and the placeholder URLs index.html refers to them by. */
const ENTRY = path.join(__dirname, 'src', 'main.tsx');
const PLACEHOLDERS = { js: 'src="./main.js"', css: 'href="./main.css"' } as const;
const ZOD_SUBSET = path.join(__dirname, 'src', 'zod-subset.ts');

/** Points `import ... from 'zod'` (the page's and src/contracts') at src/zod-subset.ts; see there why. */
const zodSubsetPlugin: Plugin = {
  name: 'zod-subset',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^zod$/ }, (args) =>
      args.importer === ZOD_SUBSET ? undefined : { path: ZOD_SUBSET },
    );
  },
};

export class AdminPageBuildError extends Error {
  constructor(message: string) {
    super(`static/admin build failed: ${message}`);
    this.name = 'AdminPageBuildError';
  }
}

/** Forge's CSP blocks inline scripts and inline event handlers: refuse to produce a page with them. */
function assertNoInlineScript(html: string): void {
  const inlineScript = /<script\b(?![^>]*\bsrc=)[^>]*>/i.exec(html);
  if (inlineScript)
    throw new AdminPageBuildError(`index.html has an inline script (${inlineScript[0]}); Forge's CSP blocks it`);
  const handler = /<[a-z][^>]*\s(on[a-z]+)\s*=/i.exec(html);
  if (handler)
    throw new AdminPageBuildError(`index.html has an inline event handler (${handler[1]}); Forge's CSP blocks it`);
}

function entryOutputs(metafile: Metafile, outDir: string): { js: string; css: string } {
  const entryRelative = path.relative(REPO_ROOT, ENTRY).split(path.sep).join('/');
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (output.entryPoint !== entryRelative || !file.endsWith('.js')) continue;
    const js = path.relative(outDir, path.resolve(REPO_ROOT, file));
    const css = output.cssBundle ? path.relative(outDir, path.resolve(REPO_ROOT, output.cssBundle)) : undefined;
    if (!css) throw new AdminPageBuildError('the bundle has no CSS output (src/main.tsx must import styles.css)');
    return { js, css };
  }
  throw new AdminPageBuildError(`esbuild produced no JavaScript output for ${entryRelative}`);
}

function replaceOnce(html: string, placeholder: string, replacement: string): string {
  const first = html.indexOf(placeholder);
  if (first === -1 || html.indexOf(placeholder, first + 1) !== -1) {
    throw new AdminPageBuildError(`index.html must contain ${placeholder} exactly once`);
  }
  return html.slice(0, first) + replacement + html.slice(first + placeholder.length);
}

function toUrlPath(relativeFile: string): string {
  return `./${relativeFile.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** Replaces `outDir` with `stagingDir`; retries when a concurrent build swapped its own in meanwhile. */
function swapInto(stagingDir: string, outDir: string): void {
  for (let attempt = 1; ; attempt++) {
    rmSync(outDir, { recursive: true, force: true });
    try {
      renameSync(stagingDir, outDir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== 'ENOTEMPTY' && code !== 'EEXIST')) throw error;
    }
  }
}

/** Bundles the admin page with esbuild. Typically well under a second. */
export async function buildAdminPage(options: BuildAdminPageOptions = {}): Promise<AdminPageBuild> {
  const started = performance.now();
  const outDir = path.resolve(options.outDir ?? ADMIN_PAGE_BUILD_DIR);
  // Build next to the target and swap it in, so a server never sees a half-written directory.
  const stagingDir = `${outDir}.staging-${process.pid}-${Date.now()}`;
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(stagingDir, { recursive: true });
  try {
    const template = readFileSync(path.join(__dirname, 'index.html'), 'utf8');
    assertNoInlineScript(template);
    const result = await build({
      entryPoints: { main: ENTRY },
      outdir: stagingDir,
      entryNames: '[name]-[hash]',
      assetNames: 'assets/[name]-[hash]',
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['chrome109', 'edge109', 'firefox115', 'safari15'],
      jsx: 'automatic',
      minify: options.minify ?? true,
      sourcemap: options.sourceMaps === true ? 'linked' : false,
      legalComments: 'linked',
      define: { 'process.env.NODE_ENV': JSON.stringify(options.minify === false ? 'development' : 'production') },
      plugins: [zodSubsetPlugin],
      metafile: true,
      write: true,
      logLevel: 'silent',
      absWorkingDir: REPO_ROOT,
    }).catch((error: unknown) => {
      const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] })
        .errors;
      if (errors?.length) {
        throw new AdminPageBuildError(
          errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)).join('\n'),
        );
      }
      throw error;
    });
    const outputs = entryOutputs(result.metafile, stagingDir);
    let html = replaceOnce(template, PLACEHOLDERS.js, `src="${toUrlPath(outputs.js)}"`);
    html = replaceOnce(html, PLACEHOLDERS.css, `href="${toUrlPath(outputs.css)}"`);
    html = html.replace(/\s*<!--[\s\S]*?-->/g, '');
    assertNoInlineScript(html);
    writeFileSync(path.join(stagingDir, 'index.html'), html);

    swapInto(stagingDir, outDir);
    const files = [
      'index.html',
      ...Object.keys(result.metafile.outputs).map((file) => path.relative(stagingDir, path.resolve(REPO_ROOT, file))),
    ].sort();
    return { outDir, files, durationMs: Math.round(performance.now() - started) };
  } finally {
    rmSync(stagingDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const dev = process.argv.includes('--dev');
  buildAdminPage({ minify: !dev, sourceMaps: dev }).then(
    (built) => {
      const where = `${path.relative(process.cwd(), built.outDir)}/{${built.files.join(', ')}}`;
      console.log(`Built the admin page in ${built.durationMs} ms: ${where}`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
