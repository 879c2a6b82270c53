/**
 * The egress gate: Forge only lets a function `fetch` the addresses listed in
 * `permissions.external.fetch.backend`. Inside an app invocation a URL outside the allowlist raises
 * the real package's `ExternalEndpointNotAllowedError`; outside an invocation (test code, the
 * sandbox itself) fetch is untouched. Installed by `installForgeGlobals` before anything loads
 * `@forge/api`, which captures `globalThis.fetch` when it is first loaded.
 */

interface AddressPattern {
  scheme?: string;
  host: string;
  wildcard: boolean;
  port?: string;
}

export function parseEgressAddress(address: string): AddressPattern {
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^/:*]+)(?::(\d+))?\/?$/i.exec(address.trim());
  if (!match) throw new Error(`manifest.yml: egress address '${address}' is not a valid Forge address`);
  return {
    scheme: match[1]?.toLowerCase(),
    wildcard: Boolean(match[2]),
    host: match[3]!.toLowerCase(),
    port: match[4],
  };
}

function defaultPort(scheme: string): string {
  return scheme === 'https' ? '443' : '80';
}

export function isEgressAllowed(url: string, allowlist: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const scheme = target.protocol.replace(/:$/, '');
  const host = target.hostname.toLowerCase();
  const port = target.port || defaultPort(scheme);
  return allowlist.map(parseEgressAddress).some((p) => {
    if ((p.scheme ?? 'https') !== scheme) return false;
    if ((p.port ?? defaultPort(p.scheme ?? 'https')) !== port) return false;
    return p.wildcard ? host.endsWith(`.${p.host}`) : host === p.host;
  });
}
