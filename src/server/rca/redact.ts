// Secrets out of log lines before they become RCA evidence (stored with the RCA, sent to a model
// endpoint, shown to viewers): bearer values, WebSocket credentials, credentials in URLs, secret
// query parameters and JSON fields, Slack webhook paths, and any long random-looking word, which
// is what the console's tokens and machine secrets look like (43 base64url characters).

export const REDACTED = '[redacted]';

const RULES: readonly [RegExp, string][] = [
  [/\b(bearer)(\s+|\.)[A-Za-z0-9._~+/=-]+/gi, `$1$2${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]*@/gi, `$1${REDACTED}@`],
  [
    /([?&;](?:token|access_token|key|api_key|apikey|secret|password|routing_key|sig)=)[^&\s"']+/gi,
    `$1${REDACTED}`,
  ],
  [
    /("(?:token|secret|password|routing_key|api_key|apiKey|authorization)"\s*:\s*")[^"]*"/gi,
    `$1${REDACTED}"`,
  ],
  [/(hooks\.slack\.com\/services\/)\S+/gi, `$1${REDACTED}`],
  // Tokens, webhook and scrape secrets: 32 or more base64url characters with a digit or a mixed
  // case; a long word of one case (a path, a tenant name) stays readable.
  [
    /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]{32,})(?=\S*\d|\S*[a-z]\S*[A-Z]|\S*[A-Z]\S*[a-z])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g,
    REDACTED,
  ],
];

/** The line without secrets: each `known` value (at least 8 characters) and every pattern above. */
export function redactSecrets(line: string, known: readonly string[] = []): string {
  let out = line;
  for (const secret of known) {
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}
