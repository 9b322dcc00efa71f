// The two state backends for one test suite: SQLite files in a temporary data directory, and a
// PostgreSQL cluster of the test's own (one database per fixture). A fixture hands out instances
// on the same state, each with its own connections, as two gateways of a cluster would have.
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sqlitePolicyLedger, type PolicyLedger } from '../server/policy/ledger';
import { pgPolicyLedger } from '../server/state/pg-policy';
import { createTicketStore } from '../server/incidents/store';
import { openDatabase, type Db } from '../server/storage/database';
import type { AccessState } from '../server/state/access';
import { pgAccessState } from '../server/state/pg-access';
import { sqliteAccessState } from '../server/state/sqlite-access';
import { openTenantDatabase } from '../server/tenants/schema';
import { openPgPool, type PgPool } from '../server/state/pg';
import { migratePg } from '../server/state/pg-migrate';
import {
  pgNotifyState,
  sqliteNotifyState,
  type NotifyState,
  type NotifyStateOptions,
} from '../server/notify/state';
import { pgTicketState } from '../server/state/pg-tickets';
import { sqliteTicketState } from '../server/state/sqlite-tickets';
import type { StateBackend, TicketState } from '../server/state/tickets';
import { postgresBinDir, startPostgres, type TestPostgres } from './postgres';
import { tempDir } from './temp-dir';

export interface TicketStateOptions {
  now: () => number;
  reopenWindowMs?: number;
}

export interface StateFixture {
  backend: StateBackend;
  /** SQLite: the data directory; PostgreSQL: the database URL. */
  where: string;
  /** A new instance over this fixture's state, with connections of its own. */
  tickets(options: TicketStateOptions): Promise<TicketState>;
  /** A new tenants-and-tokens instance over this fixture's state. */
  access(): Promise<AccessState>;
  /** A new promotions-and-audit ledger over this fixture's state. */
  policy(): Promise<PolicyLedger>;
  /** A new notification outbox and observer switch over this fixture's state. */
  notify(options?: NotifyStateOptions): Promise<NotifyState>;
  /** Runs SQL on the state as its owner could, past every store: a test's tampering. */
  tamper(sql: string): Promise<void>;
  /** Closes every instance handed out. */
  close(): Promise<void>;
}

export interface StateBackendHarness {
  backend: StateBackend;
  /** Why the backend cannot run here, or null. */
  missing: string | null;
  start(): Promise<void>;
  fixture(): Promise<StateFixture>;
  stop(): Promise<void>;
}

function sqliteHarness(): StateBackendHarness {
  return {
    backend: 'sqlite',
    missing: null,
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    fixture() {
      const dir = tempDir('state');
      const dbs: Db[] = [];
      return Promise.resolve({
        backend: 'sqlite' as const,
        where: dir,
        tickets(options) {
          const db = openDatabase(dir);
          dbs.push(db);
          return Promise.resolve(sqliteTicketState(createTicketStore({ db, ...options })));
        },
        access() {
          const db = openTenantDatabase(dir);
          dbs.push(db);
          return Promise.resolve(sqliteAccessState(db));
        },
        policy() {
          const db = openDatabase(dir);
          dbs.push(db);
          return Promise.resolve(sqlitePolicyLedger(db, { settingsHere: false }));
        },
        notify(options) {
          const db = openDatabase(dir);
          dbs.push(db);
          return Promise.resolve(sqliteNotifyState(db, options));
        },
        async tamper(sql) {
          const db = new Database(path.join(dir, 'console.db'));
          try {
            db.exec(sql);
          } finally {
            db.close();
          }
        },
        close() {
          for (const db of dbs) db.close();
          return Promise.resolve();
        },
      });
    },
  };
}

function postgresHarness(): StateBackendHarness {
  let cluster: TestPostgres | undefined;
  let databases = 0;
  return {
    backend: 'postgres',
    missing: postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql',
    async start() {
      cluster = await startPostgres();
    },
    async stop() {
      await cluster?.stop();
    },
    async fixture() {
      if (!cluster) throw new Error('start() the harness first');
      databases += 1;
      const name = `state_${databases}`;
      const admin = new pg.Client(cluster.url);
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = cluster.url.replace(/\/postgres$/, `/${name}`);
      const pools: PgPool[] = [];
      const states: { close(): Promise<void> }[] = [];
      const pool = async () => {
        const p = await openPgPool(url, { max: 4 });
        pools.push(p);
        return p;
      };
      await migratePg(await pool());
      return {
        backend: 'postgres' as const,
        where: url,
        async tickets(options) {
          const state = pgTicketState({ pool: await pool(), url, ...options });
          states.push(state);
          return state;
        },
        async access() {
          const state = pgAccessState({ pool: await pool(), url });
          states.push(state);
          return state;
        },
        async policy() {
          const ledger = pgPolicyLedger(await pool());
          states.push(ledger);
          return ledger;
        },
        async notify(options) {
          return pgNotifyState(await pool(), options);
        },
        async tamper(sql) {
          const client = new pg.Client(url);
          await client.connect();
          try {
            await client.query(sql);
          } finally {
            await client.end();
          }
        },
        async close() {
          for (const s of states) await s.close();
          for (const p of pools) await p.end();
        },
      };
    },
  };
}

export function stateBackends(): StateBackendHarness[] {
  return [sqliteHarness(), postgresHarness()];
}
