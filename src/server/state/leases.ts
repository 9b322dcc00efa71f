// Leases: work that must run once per tenant in the whole cluster (the detector of a tenant, the
// notification sender) runs only in the process that holds its lease, and moves to another when
// that process dies.
//
// On PostgreSQL a lease is a session-level advisory lock on a connection of its own. PostgreSQL
// releases it the moment that session ends, so a holder killed with -9 hands the lease over at
// once: the other processes' next try (every `retryMs`) takes it. A holder that loses its own
// connection drops every lease at once, before anyone else can take them. Without a database (one
// process on SQLite) every lease asked for is held.
import pg from 'pg';

export interface Leases {
  /** Asks for the lease; it is taken now or at a later try while another process holds it. */
  want(name: string): void;
  /** Whether this process holds it now. */
  holds(name: string): boolean;
  /** Gives it up (another process may take it at its next try). */
  release(name: string): Promise<void>;
  /** Hears each lease taken or lost. */
  onChange(listener: (name: string, held: boolean) => void): () => void;
  /** Gives every lease up. */
  close(): Promise<void>;
}

/** One process alone: it holds whatever it asks for. */
export function localLeases(): Leases {
  const held = new Set<string>();
  const listeners = new Set<(name: string, held: boolean) => void>();
  return {
    want(name) {
      if (held.has(name)) return;
      held.add(name);
      for (const l of listeners) l(name, true);
    },
    holds: (name) => held.has(name),
    release(name) {
      if (held.delete(name)) for (const l of listeners) l(name, false);
      return Promise.resolve();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      held.clear();
      return Promise.resolve();
    },
  };
}

export interface PgLeasesOptions {
  url: string;
  /** How often a wanted lease is tried and the connection checked (default 1000 ms). */
  retryMs?: number;
  log?: (line: string) => void;
}

const KEY_SQL = "hashtextextended('phase-console lease ' || $1, 0)";

export function pgLeases(options: PgLeasesOptions): Leases {
  const retryMs = options.retryMs ?? 1000;
  const wanted = new Set<string>();
  const held = new Set<string>();
  const listeners = new Set<(name: string, held: boolean) => void>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let busy = false;
  let closed = false;

  const tell = (name: string, isHeld: boolean): void => {
    for (const l of listeners) {
      try {
        l(name, isHeld);
      } catch (error) {
        options.log?.(`[leases] listener failed: ${(error as Error).message}`);
      }
    }
  };

  const dropAll = (why: string): void => {
    if (held.size > 0) options.log?.(`[leases] lost ${[...held].join(', ')}: ${why}`);
    const lost = [...held];
    held.clear();
    for (const name of lost) tell(name, false);
  };

  const connection = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const c = new pg.Client({
        connectionString: options.url,
        application_name: 'phase-console-leases',
        keepAlive: true,
        // A lease connection that cannot answer within a try is as good as lost.
        query_timeout: Math.max(retryMs * 3, 2000),
      });
      const lost = (why: string) => {
        if (client !== c) return;
        client = undefined;
        dropAll(why);
        c.end().catch(() => undefined);
      };
      c.on('error', (error) => lost(error.message));
      c.on('end', () => lost('connection closed'));
      try {
        await c.connect();
      } finally {
        connecting = undefined;
      }
      client = c;
      return c;
    })();
    return connecting;
  };

  const tryAll = async (): Promise<void> => {
    if (busy || closed) return;
    busy = true;
    try {
      const c = await connection();
      // The heartbeat: a dead connection is found here, and its leases dropped, within a try.
      await c.query('SELECT 1');
      for (const name of wanted) {
        if (held.has(name) || closed) continue;
        const { rows } = await c.query<{ ok: boolean }>(
          `SELECT pg_try_advisory_lock(${KEY_SQL}) AS ok`,
          [name],
        );
        if (rows[0]?.ok && client === c) {
          held.add(name);
          options.log?.(`[leases] took ${name}`);
          tell(name, true);
        }
      }
    } catch (error) {
      const c = client;
      client = undefined;
      dropAll((error as Error).message);
      c?.end().catch(() => undefined);
    } finally {
      busy = false;
    }
  };

  const timer = setInterval(() => void tryAll(), retryMs);
  timer.unref();

  return {
    want(name) {
      wanted.add(name);
      void tryAll();
    },
    holds: (name) => held.has(name),
    async release(name) {
      wanted.delete(name);
      if (!held.delete(name)) return;
      tell(name, false);
      await client?.query(`SELECT pg_advisory_unlock(${KEY_SQL})`, [name]).catch(() => undefined);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      wanted.clear();
      dropAll('closing');
      await connecting?.catch(() => undefined);
      // Ending the session releases every advisory lock it holds.
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
