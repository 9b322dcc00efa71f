// `npm run admin -- observer ...` and `notifications ...`: observer mode (notifications held in
// the outbox, nothing pages or posts) and the held notifications, released or discarded by hand.
// They write the console database, so a running server follows at its next enqueue.
import type { HeldSelection } from '../core/api/observer';
import { notificationEntry } from '../server/notify/entries';
import { CHANNELS, createOutbox, type Channel, type OutboxStatus } from '../server/notify/outbox';
import { observerStatus, setObserver } from '../server/notify/observer';
import {
  actorOf,
  osUser,
  stringOption,
  table,
  UsageError,
  type AdminCommand,
  type AdminValues,
} from './admin-common';

const STATUSES: readonly OutboxStatus[] = ['pending', 'held', 'sent', 'failed'];

function switchTo(enabled: boolean): AdminCommand {
  return {
    options: ['reason', 'by'],
    maxArgs: 0,
    run(db, _args, values, io) {
      const by = actorOf(values, osUser());
      const changed = setObserver(db, { enabled, by, reason: stringOption(values, 'reason') });
      const { heldNotifications } = observerStatus(db);
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

function changeHeld(action: 'release' | 'discard'): AdminCommand {
  return {
    options: ['all', 'by'],
    maxArgs: 1000,
    run(db, args, values, io) {
      const chosen = selection(args, values);
      const outbox = createOutbox({ db });
      const result =
        action === 'release'
          ? outbox.release(chosen)
          : outbox.discard(chosen, actorOf(values, osUser()));
      const verb = action === 'release' ? 'released' : 'discarded';
      io.out(
        `${verb} ${result.changed} held notification${result.changed === 1 ? '' : 's'}` +
          (action === 'release' && result.changed > 0
            ? ' (the server sends them now; without a server: npm run kaizen -- deliver)'
            : ''),
      );
      if (result.notHeld.length > 0) {
        io.err(`[admin] not held, left alone: ${result.notHeld.join(', ')}`);
      }
    },
  };
}

export const OBSERVER_COMMANDS: Record<string, AdminCommand> = {
  'observer on': switchTo(true),
  'observer off': switchTo(false),
  'observer status': {
    options: ['json'],
    maxArgs: 0,
    run(db, _args, values, io) {
      const status = observerStatus(db);
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
    run(db, _args, values, io) {
      const status = stringOption(values, 'status') ?? 'held';
      const channel = stringOption(values, 'channel');
      if (!(STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
      }
      if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel)) {
        throw new UsageError(`--channel must be one of ${CHANNELS.join(', ')}`);
      }
      const entries = createOutbox({ db })
        .list({ status: status as OutboxStatus, channel: channel as Channel | undefined })
        .map(notificationEntry);
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
