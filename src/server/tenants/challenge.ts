// One RFC 6750 challenge for every refusal of the console's bearer credentials (REST, /metrics,
// the Alertmanager webhook): `WWW-Authenticate: Bearer realm="phase-console"`, with an error code
// when credentials were presented and were no good (401) or not enough (403).

export const REALM = 'phase-console';

/** RFC 6750 section 3.1's codes. */
export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** A quoted-string holds no quote, backslash or control character, and stays ASCII. */
function quoted(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, '').slice(0, 200);
}

/**
 * The WWW-Authenticate value: without an error for a request that carried no credentials (the
 * client learns only that a token is wanted), with one for credentials that were refused.
 */
export function bearerChallenge(error?: BearerError, description?: string): string {
  let value = `Bearer realm="${REALM}"`;
  if (error) value += `, error="${error}"`;
  if (error && description) value += `, error_description="${quoted(description)}"`;
  return value;
}
