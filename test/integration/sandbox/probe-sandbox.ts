import path from 'node:path';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox';

export const PROBE_APP_ROOT = path.resolve(__dirname, '../../fixtures/probe-app');

/** A sandbox running the probe app (test/fixtures/probe-app), which exercises the real @forge/* packages. */
export function createProbeSandbox(options: SandboxOptions = {}): Sandbox {
  return createSandbox({ root: PROBE_APP_ROOT, ...options });
}
