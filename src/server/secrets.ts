// The console's machine credentials, kept as files in the data directory: the Alertmanager webhook
// secret and the /metrics scrape secret. The first start (or the admin CLI) generates them, 32
// random bytes in base64url, readable by the owner only; the admin CLI prints or rotates them. They
// are files so that Alertmanager and Prometheus can read them where they run
// (`credentials_file`), and the server rereads one whenever it changes, so a rotation takes effect
// at the next request.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NotRegularFileError, readRegularFile } from './regular-file';

export const SECRETS = {
  alertmanager: { file: 'alertmanager-webhook.secret', what: 'Alertmanager webhook secret' },
  metrics: { file: 'metrics-scrape.secret', what: '/metrics scrape secret' },
} as const;
export type SecretName = keyof typeof SECRETS;
export const SECRET_NAMES = Object.keys(SECRETS) as SecretName[];

/** Printable ASCII without spaces, 16 to 512 characters: a generated one, or one pasted in. */
const SECRET_PATTERN = /^[\x21-\x7e]{16,512}$/;
const MAX_SECRET_FILE_BYTES = 4096;

export class SecretError extends Error {
  constructor(message: string) {
    super(`[secrets] ${message}`);
    this.name = 'SecretError';
  }
}

export function secretPath(dataDir: string, name: SecretName): string {
  return path.join(dataDir, SECRETS[name].file);
}

function generate(): string {
  return randomBytes(32).toString('base64url');
}

let tempCounter = 0;

/** Writes `value` to a fresh owner-only file beside `target` and returns its path. */
function writeTemp(target: string, value: string): string {
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${tempCounter++}.tmp`;
  writeFileSync(temp, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return temp;
}

/** The secret in the file; SecretError naming the file when it is missing, odd or malformed. */
export function readSecret(dataDir: string, name: SecretName): string {
  const file = secretPath(dataDir, name);
  let text: string;
  try {
    text = readRegularFile(file, MAX_SECRET_FILE_BYTES);
  } catch (error) {
    const reason =
      error instanceof NotRegularFileError || error instanceof RangeError
        ? error.message
        : `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    throw new SecretError(`${SECRETS[name].what}: ${reason}`);
  }
  const value = text.trim();
  if (!SECRET_PATTERN.test(value)) {
    throw new SecretError(
      `${SECRETS[name].what}: ${file} must hold 16 to 512 printable characters without spaces; ` +
        `rotate it with "npm run admin -- secret rotate ${name}"`,
    );
  }
  return value;
}

/** The secret, generated first when the file does not exist yet (a fresh data directory). */
export function ensureSecret(
  dataDir: string,
  name: SecretName,
): { value: string; created: boolean } {
  const file = secretPath(dataDir, name);
  try {
    statSync(file);
    return { value: readSecret(dataDir, name), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const value = generate();
  const temp = writeTemp(file, value);
  try {
    // A link fails if the file appeared meanwhile (the admin CLI and the server starting at once):
    // the one already there wins and nobody reads a half-written file.
    linkSync(temp, file);
    return { value, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { value: readSecret(dataDir, name), created: false };
  } finally {
    unlinkSync(temp);
  }
}

/** Replaces the secret with a new random one (atomically) and returns it. */
export function rotateSecret(dataDir: string, name: SecretName): string {
  const file = secretPath(dataDir, name);
  const value = generate();
  renameSync(writeTemp(file, value), file);
  return value;
}

/**
 * The secret now: reread whenever the file changes. A file that becomes unreadable or malformed
 * is logged once and matches nothing until it is fixed, rather than leaving the old secret valid.
 */
export function watchSecret(
  dataDir: string,
  name: SecretName,
  log: (line: string) => void,
): () => string {
  const file = secretPath(dataDir, name);
  const matchesNothing = `unreadable-${generate()}`;
  let seen = '';
  let value = readSecret(dataDir, name);
  const fingerprint = (): string => {
    try {
      const stat = statSync(file);
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return 'missing';
    }
  };
  seen = fingerprint();
  return () => {
    const now = fingerprint();
    if (now === seen) return value;
    seen = now;
    try {
      value = readSecret(dataDir, name);
      log(`[secrets] ${SECRETS[name].what} changed: ${file} reread`);
    } catch (error) {
      value = matchesNothing;
      log(`${(error as Error).message}; every request that needs it is refused until it is fixed`);
    }
    return value;
  };
}
