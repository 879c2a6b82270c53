import type { Sandbox } from '../../../sandbox';
import { rotateAppSigningSecret } from '../../../src/composition';

export function runAsAppRotate(sandbox: Sandbox, options: { graceSeconds?: number }) {
  return sandbox.runAsApp(() => rotateAppSigningSecret(options));
}
