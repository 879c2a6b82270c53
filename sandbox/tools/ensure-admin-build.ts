import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../index';

/** The manifest's `admin` resource must exist for validation and for the sandbox: build it when absent. */
export async function buildAdminPageIfMissing(): Promise<void> {
  if (existsSync(path.join(REPO_ROOT, 'static/admin/build/index.html'))) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildAdminPage } = require('../../static/admin/build-admin') as { buildAdminPage(): Promise<void> };
  await buildAdminPage();
}
