import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAdminPage } from '../../../static/admin/build';

/** What `npm run build:admin` produces for `forge deploy`: the page, and no source maps. */
describe('admin page build', () => {
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'admin-build-')), 'build');
  afterAll(() => rmSync(path.dirname(outDir), { recursive: true, force: true }));

  it('ships no source maps in the production build; the development build has them', async () => {
    const production = await buildAdminPage({ outDir });
    expect(production.files).toContain('index.html');
    expect(production.files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const file of readdirSync(outDir).filter((f) => /\.(js|css)$/.test(f)))
      expect(readFileSync(path.join(outDir, file), 'utf8')).not.toContain('sourceMappingURL');

    const development = await buildAdminPage({ outDir, minify: false, sourceMaps: true });
    expect(development.files.filter((f) => f.endsWith('.map')).length).toBeGreaterThan(0);
  }, 120_000); // two esbuild runs of the whole page
});
