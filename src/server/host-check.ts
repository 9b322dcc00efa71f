// Requests must name, in their Host header, a host this server answers for: its bound address,
// localhost, or a name the operator configured (--allowed-hosts). Otherwise a web page on another
// name that resolves to this machine (DNS rebinding) could reach a console on an operator's
// machine with the browser's same-origin checks satisfied. An IP address cannot be rebound, so
// the machine's own addresses are accepted when the server binds all of them.
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** `example.com:8080` -> `example.com`, `[::1]:8080` -> `::1`; null when it is not a host. */
export function hostnameOf(hostHeader: string): string | null {
  try {
    const url = new URL(`http://${hostHeader}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
      return null;
    }
    return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  } catch {
    return null;
  }
}

export interface HostCheck {
  /** Whether a request with this Host header is one the server answers for. */
  allows(hostHeader: string | undefined): boolean;
  /** What the refusal says. */
  refusal(hostHeader: string | undefined): string;
}

/**
 * `allowedHosts` entries are names (`console.example.com`), or a leading dot for a domain and its
 * subdomains (`.example.com`).
 */
export function createHostCheck(options: {
  host: string;
  allowedHosts: readonly string[];
}): HostCheck {
  const exact = new Set(['localhost', '127.0.0.1', '::1']);
  const suffixes: string[] = ['.localhost'];
  const bound = hostnameOf(
    options.host.includes(':') && isIP(options.host) ? `[${options.host}]` : options.host,
  );
  if (WILDCARDS.has(options.host)) {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) exact.add(address.address.toLowerCase());
    }
  } else if (bound) {
    exact.add(bound.toLowerCase());
  }
  for (const entry of options.allowedHosts) {
    const name = entry.toLowerCase().replace(/\.$/, '');
    if (name.startsWith('.')) suffixes.push(name);
    else exact.add(name);
  }
  return {
    allows(hostHeader) {
      // HTTP/1.0 clients may send none; a browser always does, so no page gets in this way.
      if (hostHeader === undefined) return true;
      const name = hostnameOf(hostHeader)?.toLowerCase();
      if (!name) return false;
      return exact.has(name) || suffixes.some((s) => name.endsWith(s) || name === s.slice(1));
    },
    refusal(hostHeader) {
      const shown = JSON.stringify((hostHeader ?? '').slice(0, 100));
      return `this server does not answer for host ${shown}; an operator adds names with --allowed-hosts`;
    },
  };
}
