// Leases on a PostgreSQL cluster of the test's own: one holder per lease among the processes, and
// the lease moves on when its holder is killed with -9 or loses its connection.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, startPostgres, type TestPostgres } from '../../testing/postgres';
import { localLeases, pgLeases, type Leases } from './leases';

const HOLDER = path.join('src', 'testing', 'lease-holder.ts');
const RETRY_MS = 100;

describe('local leases (one process)', () => {
  it('holds whatever it asks for and tells its listeners', async () => {
    const leases = localLeases();
    const heard: [string, boolean][] = [];
    leases.onChange((name, held) => heard.push([name, held]));
    leases.want('notify');
    leases.want('notify');
    expect(leases.holds('notify')).toBe(true);
    expect(leases.holds('detector:demo')).toBe(false);
    await leases.release('notify');
    expect(leases.holds('notify')).toBe(false);
    expect(heard).toEqual([
      ['notify', true],
      ['notify', false],
    ]);
  });
});

const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[state] skipping the lease failover tests: ${missing}`);

describe.skipIf(missing !== null)('leases on PostgreSQL', () => {
  let cluster: TestPostgres;
  const open: Leases[] = [];
  const children: ChildProcess[] = [];

  const leases = (): Leases => {
    const l = pgLeases({ url: cluster.url, retryMs: RETRY_MS });
    open.push(l);
    return l;
  };

  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const l of open.splice(0)) await l.close();
  });
  afterAll(() => cluster.stop());

  it('gives each lease to one process at a time, and passes it on when released', async () => {
    const a = leases();
    const b = leases();
    a.want('detector:demo');
    await expect.poll(() => a.holds('detector:demo'), { timeout: 5000 }).toBe(true);
    b.want('detector:demo');
    b.want('detector:acme');
    await expect.poll(() => b.holds('detector:acme'), { timeout: 5000 }).toBe(true);
    // Several tries later, still one holder.
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS * 5));
    expect(b.holds('detector:demo')).toBe(false);
    await a.release('detector:demo');
    expect(a.holds('detector:demo')).toBe(false);
    await expect.poll(() => b.holds('detector:demo'), { timeout: 5000 }).toBe(true);
  });

  it('moves to a standby within seconds when the holder is killed with -9', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, cluster.url, 'notify'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => line === 'held notify' && resolve());
      child.once('exit', (code) => reject(new Error(`the holder exited ${code}`)));
    });
    const standby = leases();
    standby.want('notify');
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS * 5));
    expect(standby.holds('notify')).toBe(false);

    const killedAt = performance.now();
    child.kill('SIGKILL');
    await expect.poll(() => standby.holds('notify'), { timeout: 10_000, interval: 20 }).toBe(true);
    const tookOverMs = performance.now() - killedAt;
    // PostgreSQL ends the session when the process's socket closes; the next try takes it.
    expect(tookOverMs).toBeLessThan(5000);
  });

  it('drops its leases when its own connection is cut, and takes them back after', async () => {
    const a = leases();
    const changes: [string, boolean][] = [];
    a.onChange((name, held) => changes.push([name, held]));
    a.want('notify');
    await expect.poll(() => a.holds('notify'), { timeout: 5000 }).toBe(true);
    const admin = new pg.Client(cluster.url);
    await admin.connect();
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'phase-console-leases'",
    );
    await admin.end();
    await expect.poll(() => changes.some(([, held]) => !held), { timeout: 5000 }).toBe(true);
    await expect.poll(() => a.holds('notify'), { timeout: 5000 }).toBe(true);
    expect(changes).toEqual([
      ['notify', true],
      ['notify', false],
      ['notify', true],
    ]);
  });
});
