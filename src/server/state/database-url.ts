// The cluster database's URL (--database, DATABASE_URL): checked at start, logged without its
// password.

/**
 * What is wrong with a database URL, or null for a `postgres://` or `postgresql://` one. The URL
 * itself is never repeated: it may carry a password.
 */
export function databaseUrlFault(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL like postgres://user@host:5432/console';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `must be a postgres:// URL, got the scheme "${url.protocol.replace(/:$/, '')}"`;
  }
  if (url.hostname === '' && !url.searchParams.has('host')) return 'names no host';
  return null;
}

/** Where a URL points, without its password: for logs. */
export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}`;
}
