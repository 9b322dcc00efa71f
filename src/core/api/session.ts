// GET /api/session (docs/API.md): the caller as the server sees it, so the app can say what a
// signed-in operator may do before they try. Written by the server, read by the app and the tests.

/** What a token may do: read, also change tickets, also administer the console. */
export const TOKEN_ROLES = ['viewer', 'operator', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export function isTokenRole(value: unknown): value is TokenRole {
  return (TOKEN_ROLES as readonly unknown[]).includes(value);
}

export interface SessionInfo {
  /** The token presented, or null for an anonymous caller. */
  token: { id: string; name: string; role: TokenRole } | null;
  /** Tenant ids the caller may read: frames, tickets, panels (public ones included). */
  read: string[];
  /** Tenant ids whose tickets the caller may open, acknowledge, resolve and annotate. */
  write: string[];
  /** Whether the caller may change tenants, tokens and settings. */
  admin: boolean;
}
