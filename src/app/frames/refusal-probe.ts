// Why a WebSocket upgrade failed. The server refuses a stream it will not serve with a plain HTTP
// status before the upgrade (docs/PROTOCOL.md section 1: 401, 403, 404), but a browser's WebSocket
// reports every failed upgrade as the same close code 1006, like a server that is down. So after a
// socket that never opened, the stream worker asks the REST API about the same tenant with the
// same token: `GET /api/tenants/ID` applies the same access rules as the upgrade (docs/API.md,
// "Tenants, streams and panels"), costs one small request, and is asked only after a failure.
import type { Refusal } from '../state/ui-store';

/** The REST request that answers what the upgrade to `wsUrl` would: the tenant, or the list. */
export function probeUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  const scheme = url.protocol === 'wss:' ? 'https:' : 'http:';
  const tenant = url.searchParams.get('tenant');
  // Without a tenant the server streams its default one, whose id the page does not know yet:
  // the list still says whether the token is good.
  const path = tenant === null ? '/api/tenants' : `/api/tenants/${encodeURIComponent(tenant)}`;
  return `${scheme}//${url.host}${path}`;
}

/** The refusal an HTTP status means; null for anything worth retrying (a 503, a 5xx, a 200). */
export function refusalOf(status: number): Refusal | null {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    default:
      return null;
  }
}

/**
 * Asks the server whether it refuses this stream for a reason a retry cannot fix. Null when it
 * does not (or cannot be reached: the server is down, and reconnecting is right).
 */
export async function probeRefusal(
  wsUrl: string,
  token: string | null,
  fetchFn: typeof fetch = fetch,
): Promise<Refusal | null> {
  try {
    const response = await fetchFn(probeUrl(wsUrl), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      cache: 'no-store',
    });
    // Only the status matters; the body is dropped.
    void response.body?.cancel();
    return refusalOf(response.status);
  } catch {
    return null;
  }
}
