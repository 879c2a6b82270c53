// Runs before every test file: the Forge runtime hooks and the egress gate must exist before any
// test or app module loads @forge/api (which captures globalThis.fetch when first loaded).
import { installForgeGlobals } from '../../sandbox/runtime/globals';

installForgeGlobals();
