import { existsSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_PAGE_BUILD_DIR, buildAdminPage } from '../../static/admin/build';

/** The manifest's `admin` resource must exist for validation and for the sandbox: build it when absent. */
export async function buildAdminPageIfMissing(): Promise<void> {
  if (existsSync(path.join(ADMIN_PAGE_BUILD_DIR, 'index.html'))) return;
  await buildAdminPage();
}
