// A throwaway PostgreSQL cluster for a test or a drill: `initdb` in a temporary directory, the
// server on a free loopback port with its socket in that directory, stopped and removed after.
// As root the cluster runs as the `postgres` user (PostgreSQL refuses to run as root).
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import { tempDir } from './temp-dir';

// Debian installs each major version under its own directory: the newest one present is used.
const DEBIAN_ROOT = '/usr/lib/postgresql';

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** Stops the server (fast shutdown) and removes its directory. */
  stop(): Promise<void>;
}

/** The directory of `initdb` and `pg_ctl`, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const dirs = [...versions.map((v) => path.join(DEBIAN_ROOT, v, 'bin')), process.env.PG_BIN ?? ''];
  return dirs.find((dir) => dir !== '' && existsSync(path.join(dir, 'pg_ctl'))) ?? null;
}

function runAs(): Pick<SpawnOptions, 'uid' | 'gid'> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function run(file: string, args: string[], as: Pick<SpawnOptions, 'uid' | 'gid'>): void {
  const result = spawnSync(file, args, { ...as, encoding: 'utf8', cwd: '/' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(file)} failed: ${result.stderr || result.stdout}`);
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian package postgresql)');
  const as = runAs();
  const dir = tempDir('pg');
  if (as.uid !== undefined) chownSync(dir, as.uid, as.gid!);
  const data = path.join(dir, 'data');
  run(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    as,
  );
  const port = await freePort();
  const options = [
    `-p ${port}`,
    '-h 127.0.0.1',
    `-k ${dir}`,
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=60',
  ].join(' ');
  // pg_ctl -w waits until the server accepts connections.
  const started = spawn(
    path.join(bin, 'pg_ctl'),
    ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start'],
    { ...as, stdio: 'ignore', cwd: '/' },
  );
  const code = await new Promise<number | null>((resolve) => started.once('exit', resolve));
  if (code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg_ctl start exited ${code}; see ${path.join(dir, 'server.log')}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      const stopping = spawn(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], {
        ...as,
        stdio: 'ignore',
        cwd: '/',
      });
      await new Promise((resolve) => stopping.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
