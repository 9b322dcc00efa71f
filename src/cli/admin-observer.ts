// `npm run admin -- observer ...` and `notifications ...`: observer mode (notifications held in
// the outbox, nothing pages or posts) and the held notifications, released or discarded by hand.
// They act on the data directory's console.db, or with --database (env DATABASE_URL) on the
// cluster's PostgreSQL that every gateway reads: the state a running server acts on at its next
// enqueue or send. One implementation over NotifyState serves both.
import type { HeldSelection } from '../core/api/observer';
import { notificationEntry } from '../server/notify/entries';
import { CHANNELS, type Channel, type OutboxStatus } from '../server/notify/outbox';
import { pgNotifyState, sqliteNotifyState, type NotifyState } from '../server/notify/state';
import { openPgPool } from '../server/state/pg';
import { migratePg } from '../server/state/pg-migrate';
import { openTenantDatabase } from '../server/tenants/schema';
import { demoTenants } from '../server/tenants/seed';
import { seedTenantsOnce } from '../server/tenants/tenant-store';
import {
  actorOf,
  osUser,
  stringOption,
  table,
  UsageError,
  type AdminIo,
  type AdminValues,
} from './admin-common';

const STATUSES: readonly OutboxStatus[] = ['pending', 'held', 'sent', 'failed'];

/** An observer or notifications command: asynchronous, as its state may be PostgreSQL. */
export interface NotifyCommand {
  options: readonly string[];
  maxArgs: number;
  run(state: NotifyState, args: readonly string[], values: AdminValues, io: AdminIo): Promise<void>;
}

function switchTo(enabled: boolean): NotifyCommand {
  return {
    options: ['reason', 'by'],
    maxArgs: 0,
    async run(state, _args, values, io) {
      const by = actorOf(values, osUser());
      const changed = await state.setObserver({
        enabled,
        by,
        reason: stringOption(values, 'reason'),
      });
      const { heldNotifications } = await state.observerStatus();
      if (!changed) {
        return io.out(`observer mode was already ${enabled ? 'on' : 'off'}; nothing changed`);
      }
      io.out(
        enabled
          ? 'observer mode on: tickets open and resolve as usual; pages and digests are held'
          : `observer mode off: new notifications are sent; ${heldNotifications} still held ` +
              '("npm run admin -- notifications release --all" sends them, "discard" drops them)',
      );
    },
  };
}

function selection(args: readonly string[], values: AdminValues): HeldSelection {
  if (values.all === true) {
    if (args.length > 0) throw new UsageError('give notification ids or --all, not both');
    return { all: true };
  }
  if (args.length === 0) throw new UsageError('give the ids of held notifications, or --all');
  return {
    ids: args.map((a) => {
      if (!/^[1-9][0-9]{0,15}$/.test(a)) {
        throw new UsageError(`"${a.slice(0, 20)}" is not a notification id`);
      }
      return Number(a);
    }),
  };
}

function changeHeld(action: 'release' | 'discard'): NotifyCommand {
  return {
    options: ['all', 'by'],
    maxArgs: 1000,
    async run(state, args, values, io) {
      const chosen = selection(args, values);
      const result =
        action === 'release'
          ? await state.outbox.release(chosen)
          : await state.outbox.discard(chosen, actorOf(values, osUser()));
      const verb = action === 'release' ? 'released' : 'discarded';
      io.out(
        `${verb} ${result.changed} held notification${result.changed === 1 ? '' : 's'}` +
          (action === 'release' && result.changed > 0
            ? ' (the server sends them now; without a server: npm run kaizen -- deliver' +
              (state.backend === 'postgres' ? ' --database URL)' : ')')
            : ''),
      );
      if (result.notHeld.length > 0) {
        io.err(`[admin] not held, left alone: ${result.notHeld.join(', ')}`);
      }
    },
  };
}

export const NOTIFY_COMMANDS: Record<string, NotifyCommand> = {
  'observer on': switchTo(true),
  'observer off': switchTo(false),
  'observer status': {
    options: ['json'],
    maxArgs: 0,
    async run(state, _args, values, io) {
      const status = await state.observerStatus();
      if (values.json) return io.out(JSON.stringify(status, null, 2));
      io.out(
        `observer mode ${status.enabled ? 'on' : 'off'}` +
          (status.changedAt
            ? ` since ${status.changedAt} (${status.changedBy}${status.reason ? `: ${status.reason}` : ''})`
            : '') +
          `; ${status.heldNotifications} notification${status.heldNotifications === 1 ? '' : 's'} held`,
      );
    },
  },
  'notifications list': {
    options: ['status', 'channel', 'json'],
    maxArgs: 0,
    async run(state, _args, values, io) {
      const status = stringOption(values, 'status') ?? 'held';
      const channel = stringOption(values, 'channel');
      if (!(STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
      }
      if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel)) {
        throw new UsageError(`--channel must be one of ${CHANNELS.join(', ')}`);
      }
      const listed = await state.outbox.list({
        status: status as OutboxStatus,
        channel: channel as Channel | undefined,
      });
      const entries = listed.map(notificationEntry);
      if (values.json) return io.out(JSON.stringify(entries, null, 2));
      if (entries.length === 0) return io.out(`no ${status} notifications`);
      io.out(
        table([
          ['ID', 'CHANNEL', 'CREATED', 'DEDUP KEY', 'WHAT'],
          ...entries.map((e) => [String(e.id), e.channel, e.createdAt, e.dedupKey, e.summary]),
        ]),
      );
    },
  },
  'notifications release': changeHeld('release'),
  'notifications discard': changeHeld('discard'),
};

export interface NotifyLine {
  command: NotifyCommand;
  args: readonly string[];
  values: AdminValues;
  dataDir: string;
  databaseUrl: string | null;
}

/**
 * Runs a checked observer or notifications command; errors are the caller's to report. On
 * PostgreSQL the schema is brought to this build's version first, as a server does at start.
 */
export async function runNotifyCommand(line: NotifyLine, io: AdminIo): Promise<void> {
  if (line.databaseUrl) {
    const pool = await openPgPool(line.databaseUrl, { max: 2 });
    try {
      await migratePg(pool);
      await line.command.run(pgNotifyState(pool), line.args, line.values, io);
    } finally {
      await pool.end();
    }
    return;
  }
  const db = openTenantDatabase(line.dataDir);
  try {
    // The data directory's first use, by the server or here, seeds the demo tenants.
    seedTenantsOnce(db, demoTenants(line.dataDir));
    await line.command.run(sqliteNotifyState(db), line.args, line.values, io);
  } finally {
    db.close();
  }
}
