// A process's place in a cluster (--role, --nats): the NATS connection, and what the role runs on
// it. A source (or `all` with --nats) publishes its streams' frames while it holds the source
// lease, and runs the streams the gateways watch; a standby source waits for the lease. A gateway
// feeds each tenant's bus from NATS. Every role rereads its tenants and tokens at once when
// another process says they changed (a revoked token closes its sockets cluster-wide).
import { hostname } from 'node:os';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import type { Registry } from 'prom-client';
import type { ServerRole } from '../config';
import type { StreamRegistry } from '../stream/registry';
import type { FrameSource } from '../stream/source';
import { startLease, type Lease } from './lease';
import { createClusterMetrics } from './metrics';
import { createFramePublisher, type FramePublisher } from './publisher';
import { createRemoteSource } from './remote-source';
import { DIRECTORY_SUBJECT, publishQuietly, shardOf } from './subjects';
import { followRemoteWatchers, type RemoteWatchers } from './watchers';

/** The KV bucket of the cluster's leases, and the key the active frame source holds. */
export const LEASE_BUCKET = 'phase_cluster';
export const SOURCE_LEASE_KEY = 'frame_source';

export class ClusterError extends Error {
  constructor(message: string) {
    super(`[cluster] ${message}`);
    this.name = 'ClusterError';
  }
}

export interface ClusterOptions {
  role: ServerRole;
  natsServers: string[];
  log: (line: string) => void;
  /** The tenants a source runs: shard `index` of `count` (default: all, one shard). */
  shard?: { index: number; count: number };
  /** Where the cluster's counters go (the server's /metrics). */
  registry: Registry;
  /** Lease timings (tests shorten them). */
  leaseRenewMs?: number;
  leaseExpireMs?: number;
}

export interface Cluster {
  readonly role: ServerRole;
  readonly nc: NatsConnection;
  /** Gateway: the tenant's frames from NATS; source: the source, publishing each frame. */
  wrapSource(source: FrameSource, tenant: string): FrameSource;
  /** Once the streams are defined: a source answers the gateways' watches. */
  attach(registry: StreamRegistry, onDirectoryChanged: () => void): void;
  /** Tells every process that tenants or tokens changed, so each rereads them now. */
  announceDirectoryChange(): void;
  /** Whether this process publishes frames now (a source holding the lease). */
  readonly publishing: boolean;
  readonly publisher: FramePublisher | null;
  close(): Promise<void>;
}

/** How long each step of a shutdown may wait for NATS. */
const CLOSE_STEP_MS = 2000;

/** Waits for `work` at most `ms`; its failure or lateness only ends the wait. */
async function withinMs(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

async function connectNats(options: ClusterOptions): Promise<NatsConnection> {
  const name = `phase-console ${options.role} ${hostname()}:${process.pid}`;
  try {
    return await connect({
      servers: options.natsServers,
      name,
      // A NATS restart or failover must not end the console: it reconnects for as long as it runs.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 5000,
    });
  } catch (error) {
    throw new ClusterError(
      `cannot reach NATS at ${options.natsServers.join(', ')}: ${(error as Error).message}`,
    );
  }
}

function logStatus(nc: NatsConnection, log: (line: string) => void): void {
  void (async () => {
    for await (const status of nc.status()) {
      if (['disconnect', 'reconnect', 'slowConsumer', 'error'].includes(status.type)) {
        log(`[cluster] NATS ${status.type}: ${JSON.stringify(status).slice(0, 200)}`);
      }
    }
  })();
}

export async function openCluster(options: ClusterOptions): Promise<Cluster> {
  const { role, log } = options;
  const nc = await connectNats(options);
  logStatus(nc, log);
  const publishes = role !== 'gateway';
  const metrics = createClusterMetrics(options.registry);
  const { index, count } = options.shard ?? { index: 0, count: 1 };
  const inShard = (tenant: string): boolean => shardOf(tenant, count) === index;
  // One lease per shard: each shard has its own active source and standbys.
  const leaseKey = count === 1 ? SOURCE_LEASE_KEY : `${SOURCE_LEASE_KEY}_${index}_of_${count}`;
  const shardNote = publishes && count > 1 ? ` (tenants of shard ${index} of ${count})` : '';
  log(`[cluster] ${role}${shardNote}: connected to NATS at ${nc.getServer()}`);
  let publisher: FramePublisher | null = null;
  let watchers: RemoteWatchers | null = null;
  let lease: Lease | null = null;
  let directorySubscription: { unsubscribe(): void } | null = null;

  if (publishes) {
    publisher = createFramePublisher(nc, log, metrics);
    try {
      const kv = await new Kvm(nc).create(LEASE_BUCKET, { history: 1 });
      const pub = publisher;
      lease = startLease({
        kv,
        key: leaseKey,
        holder: `${hostname()}:${process.pid}`,
        renewMs: options.leaseRenewMs,
        expireMs: options.leaseExpireMs,
        log,
        onChange: (held) => {
          pub.setActive(held);
          metrics.setActiveSource(held);
          watchers?.setActive(held);
        },
      });
    } catch (error) {
      await nc.close();
      throw new ClusterError(
        `the source lease needs JetStream (nats-server -js): ${(error as Error).message}`,
      );
    }
  }

  return {
    role,
    nc,
    wrapSource(source, tenant) {
      // A tenant of another shard runs here only if it is pinned, and is never published from here.
      if (publisher) return inShard(tenant) ? publisher.wrap(source, tenant) : source;
      return createRemoteSource({
        nc,
        tenant,
        info: source.info,
        ...(source.readFrame ? { readFrame: (k: number) => source.readFrame!(k) } : {}),
        log,
        metrics,
      });
    },
    attach(registry, onDirectoryChanged) {
      if (publisher) {
        watchers = followRemoteWatchers(nc, registry, log, inShard);
        watchers.setActive(lease?.held ?? false);
      }
      directorySubscription = nc.subscribe(DIRECTORY_SUBJECT, {
        callback: (error) => {
          if (!error) onDirectoryChanged();
        },
      });
    },
    announceDirectoryChange() {
      publishQuietly(nc, DIRECTORY_SUBJECT);
    },
    get publishing() {
      return publisher?.active ?? false;
    },
    publisher,
    async close() {
      directorySubscription?.unsubscribe();
      watchers?.close();
      publisher?.close();
      // With NATS gone (a cluster stopping all at once) handing the lease back and draining would
      // wait for a reconnect: each gets a bounded time, then the connection is closed.
      await withinMs(lease?.close() ?? Promise.resolve(), CLOSE_STEP_MS);
      await withinMs(nc.drain(), CLOSE_STEP_MS);
      if (!nc.isClosed()) await nc.close();
    },
  };
}
