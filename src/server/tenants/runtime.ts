// Puts tenancy together for the server: the database (migrated, seeded or replaced by a config
// file), the directory that follows the admin CLI's writes, access checks, and one stream
// definition per tenant in the registry. main.ts and the tests start servers through this.
import { existsSync } from 'node:fs';
import { tenantLog, type LogFn } from '../logging/log-line';
import type { Db } from '../storage/database';
import { createStreamRegistry, type StreamRegistry, type StreamSpec } from '../stream/registry';
import { createLiveSource } from '../stream/live-source';
import { createReplaySource } from '../stream/replay-source';
import type { FrameSource } from '../stream/source';
import { openTraceFile, type TraceFile } from '../trace-file';
import { generateTrace, type GenerateOptions } from '../trace-generate';
import type { AccessState } from '../state/access';
import { openSharedDirectory } from '../state/shared-directory';
import { sqliteAccessState } from '../state/sqlite-access';
import { createTenantAccess, type TenantAccess } from './access';
import { loadTenantsFile } from './config-file';
import { createTenantDirectory, type TenantDirectory } from './directory';
import { openTenantDatabase } from './schema';
import { demoTenants, generatableTrace } from './seed';
import { sourceKey, type TenantRecord } from './tenant-spec';

/** The tenant a WebSocket without `?tenant=` gets, and the one `--trace` replays. */
export const DEFAULT_TENANT = 'demo';
/** How often the server looks for tokens and tenants changed by the admin CLI. */
export const DEFAULT_POLL_MS = 500;

export interface TenancyOptions {
  dataDir: string;
  /** `--tenants FILE`: declares the tenants instead of the demo seed. */
  tenantsFile?: string | null;
  /** `--trace PATH`: the demo tenant replays this file (not stored), and it is never generated. */
  demoTracePath?: string | null;
  log: LogFn;
  /**
   * With --database: the cluster's tenants and tokens (PostgreSQL), read and written by every
   * gateway alike. Without it they live in the data directory's console.db.
   */
  shared?: AccessState | null;
  /** Makes a known trace that is missing (the server passes one with a progress bar). */
  generate?: (options: GenerateOptions) => Promise<void>;
  pollIntervalMs?: number;
  idleStopMs?: number;
  /**
   * Whether the default replay stream runs from the start, watched or not (default true): it does
   * where clients connect. A cluster's frame source runs a stream only while a gateway watches it,
   * so a standby source runs none.
   */
  pinDefaultStream?: boolean;
  /** Wraps each tenant's frame source (the Kaizen detector taps frames here). */
  wrapSource?: (source: FrameSource, tenant: TenantRecord) => FrameSource;
  /** Each stream's fan-out time per frame, in ms (the server exports it as a histogram). */
  onFanOut?: (tenant: string, fanOutMs: number) => void;
  /** Each frame's encode time by a tenant's source, in ms (codec_encode_cpu_seconds). */
  onEncode?: (tenant: string, encodeMs: number) => void;
}

export interface Tenancy {
  readonly db: Db;
  /** Where tenants and tokens are written: console.db, or the cluster's PostgreSQL. */
  readonly store: AccessState;
  readonly directory: TenantDirectory;
  readonly access: TenantAccess;
  readonly registry: StreamRegistry;
  readonly defaultTenant: string;
  close(): void;
}

export class TenancyError extends Error {
  constructor(message: string) {
    super(`[tenants] ${message}`);
    this.name = 'TenancyError';
  }
}

/**
 * Opens the tenancy of a data directory. Throws TraceError for a trace that cannot be replayed,
 * TenantSpecError for a bad config file, TenancyError for an impossible combination of options.
 */
export async function openTenancy(options: TenancyOptions): Promise<Tenancy> {
  const { dataDir, log } = options;
  const wrap = options.wrapSource ?? ((source: FrameSource) => source);
  const generate = options.generate ?? ((o: GenerateOptions) => generateTrace(o));
  const db = openTenantDatabase(dataDir);
  const store = options.shared ?? sqliteAccessState(db);
  const where = options.shared ? "the cluster's PostgreSQL" : dataDir;
  const traces = new Map<string, TraceFile>();
  let registry: StreamRegistry | undefined;
  let directory: TenantDirectory | undefined;

  const closeTrace = (tenant: string): void => {
    traces.get(tenant)?.close();
    traces.delete(tenant);
  };
  const close = (): void => {
    directory?.stopPolling();
    registry?.stopAll();
    for (const tenant of [...traces.keys()]) closeTrace(tenant);
    db.close();
  };

  try {
    if (options.tenantsFile) {
      const specs = loadTenantsFile(options.tenantsFile);
      await store.replaceTenants(specs);
      log(`[tenants] ${specs.length} tenants from ${options.tenantsFile} (stored in ${where})`);
    } else if (await store.seedTenantsOnce(demoTenants(dataDir))) {
      log(`[tenants] first start: seeded the demo tenants demo, live and small in ${where}`);
    }
    directory = options.shared
      ? await openSharedDirectory(options.shared, log)
      : createTenantDirectory(db, log);
    await directory.refresh();
    if (options.demoTracePath && !directory.tenants.has(DEFAULT_TENANT)) {
      throw new TenancyError(
        `--trace sets the trace of tenant "${DEFAULT_TENANT}", which is not declared`,
      );
    }
    const reg = createStreamRegistry({
      idleStopMs: options.idleStopMs,
      log,
      onFanOut: options.onFanOut,
    });
    registry = reg;

    const tracePathOf = (tenant: TenantRecord): string | null => {
      if (tenant.source.kind !== 'replay') return null;
      if (tenant.id === DEFAULT_TENANT && options.demoTracePath) return options.demoTracePath;
      return tenant.source.trace;
    };

    /** Opens the tenant's trace (generating a known one first) and defines its stream. */
    const define = async (tenant: TenantRecord): Promise<void> => {
      const source = tenant.source;
      let spec: StreamSpec;
      if (source.kind === 'replay') {
        const tracePath = tracePathOf(tenant)!;
        const overridden = tracePath !== source.trace;
        const known = overridden ? null : generatableTrace(tracePath, dataDir);
        if (known && !existsSync(tracePath)) {
          log(`[trace] ${tracePath} is missing: generating it (${known.frames} frames)`);
          await generate(known);
        }
        const trace = openTraceFile(tracePath);
        closeTrace(tenant.id);
        traces.set(tenant.id, trace);
        const { width, height, frameCount, intervalUs } = trace.header;
        spec = {
          info: { width, height, frameCount, intervalUs, source: 'replay' },
          createSource: () =>
            wrap(
              createReplaySource(trace, {
                log: tenantLog(log, tenant.id, { subsystem: 'trace', level: 'warn' }),
                onEncodeMs: (ms) => options.onEncode?.(tenant.id, ms),
              }),
              tenant,
            ),
        };
      } else {
        const live = createLiveSource({
          tenant: tenant.id,
          width: source.width,
          height: source.height,
          seed: source.seed,
          params: source.params,
          log: tenantLog(log, tenant.id, { subsystem: 'live', level: 'error' }),
          onEncodeMs: (ms) => options.onEncode?.(tenant.id, ms),
        });
        spec = { info: live.info, createSource: () => wrap(live, tenant) };
      }
      // The default replay stream always runs where clients connect: /healthz reports it and
      // joiners get a frame at once.
      reg.define(tenant.id, spec, {
        pinned:
          (options.pinDefaultStream ?? true) &&
          tenant.id === DEFAULT_TENANT &&
          source.kind === 'replay',
      });
    };

    for (const tenant of directory.tenants.values()) await define(tenant);

    // Follow tenants the admin CLI adds, deletes or re-creates while the server runs.
    const defined = new Map(
      [...directory.tenants.values()].map((t) => [t.id, sourceKey(t.source)]),
    );
    const dir = directory;
    let syncing = Promise.resolve();
    dir.onChange((change) => {
      if (!change.tenantsChanged) return;
      syncing = syncing.then(async () => {
        for (const id of [...defined.keys()]) {
          if (dir.tenants.has(id)) continue;
          reg.remove(id);
          closeTrace(id);
          defined.delete(id);
          log(`[tenants] ${id}: removed`, { tenant: id });
        }
        for (const tenant of dir.tenants.values()) {
          const key = sourceKey(tenant.source);
          if (defined.get(tenant.id) === key) continue;
          try {
            await define(tenant);
            defined.set(tenant.id, key);
            log(`[tenants] ${tenant.id}: now serving (${tenant.source.kind})`, {
              tenant: tenant.id,
            });
          } catch (error) {
            log(`${(error as Error).message}; tenant ${tenant.id} is not served`, {
              tenant: tenant.id,
              level: 'error',
            });
          }
        }
      });
    });
    dir.startPolling(options.pollIntervalMs ?? DEFAULT_POLL_MS);

    return {
      db,
      store,
      directory: dir,
      access: createTenantAccess(dir),
      registry: reg,
      defaultTenant: DEFAULT_TENANT,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
