// The operator's token in this tab: its shape, and keeping it across a reload of the tab only
// (sessionStorage), never in the URL.

/** Tokens are base64url; anything else cannot be one and is refused before it reaches the wire. */
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{16,256}$/;

const TOKEN_KEY = 'phase-console.token';

export function loadToken(): string | null {
  try {
    const token = sessionStorage.getItem(TOKEN_KEY);
    return token !== null && TOKEN_FORMAT.test(token) ? token : null;
  } catch {
    return null; // storage blocked (sandboxed iframe): memory only
  }
}

export function saveToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage blocked: the token lives in memory for this page only.
  }
}
