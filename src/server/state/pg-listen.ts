// One LISTEN connection of its own (outside the pool, which would hand it to other queries): the
// cluster's notices (ticket changes, token revocations) reach every gateway through it. A lost
// connection is reopened after a pause, as long as the feed is open.
import pg from 'pg';

export interface PgFeed {
  /** Resolves once the channel is listened to (rejects when the first connection fails). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const RECONNECT_MS = 500;

export function listenPg(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  log?: (line: string) => void,
): PgFeed {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new RangeError(`bad channel name "${channel}"`);
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({
      connectionString: url,
      application_name: `phase-console-${channel}`,
    });
    c.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    c.on('error', (error) => {
      log?.(`[state] ${channel} feed lost: ${error.message}; reconnecting`);
      client = undefined;
      c.end().catch(() => undefined);
      if (!closed) timer = setTimeout(() => void connect().catch(() => undefined), RECONNECT_MS);
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (closed) await c.end();
    else client = c;
  };

  const ready = connect();
  ready.catch((error: Error) => log?.(`[state] cannot listen to ${channel}: ${error.message}`));
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await ready.catch(() => undefined);
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
