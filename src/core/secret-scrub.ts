// What a browser report must not carry: console tokens, bearer credentials, the secret parts of
// URLs (user:password@, values of token-like query parameters). The app removes them before a
// report leaves the page, and the server again on every text field before it stores one.

const SECRET_PARAMS =
  /([?&;#](?:[a-z0-9_.-]*(?:token|key|secret|password|passwd|auth|session|sig|signature|code|credential)[a-z0-9_.-]*)=)[^&#\s"'<>]*/gi;
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@"'<>]+(?::[^/\s@"'<>]*)?@/gi;
const BEARER = /\b(bearer)(\s+|\.)[A-Za-z0-9._~+/=-]{8,}/gi;
/** The console's own tokens: 32 random bytes in base64url. */
const CONSOLE_TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

export const REDACTED = '[redacted]';

export function scrub(text: string): string {
  return text
    .replace(USERINFO, `$1${REDACTED}@`)
    .replace(BEARER, `$1$2${REDACTED}`)
    .replace(SECRET_PARAMS, `$1${REDACTED}`)
    .replace(CONSOLE_TOKEN, REDACTED);
}
