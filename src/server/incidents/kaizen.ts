// The Kaizen loop of one server: the ticket store, the detector over the streams, and the
// settings the receiver and the metrics read. The server creates one and hands it to
// registerKaizenRoutes and registerKaizenMetrics.
import type { LogFn } from '../logging/log-line';
import type { Db } from '../storage/database';
import { sqliteTicketState } from '../state/sqlite-tickets';
import type { TicketState } from '../state/tickets';
import { createDetector, type Detector } from './detector';
import { DEFAULT_RULES, loadDetectorRules, type DetectorRules } from './detector-rules';
import { createTicketStore, DEFAULT_REOPEN_WINDOW_MS, type TicketStore } from './store';
import {
  createTicketBurst,
  DEFAULT_TICKET_BURST,
  type TicketBurst,
  type TicketBurstLimits,
} from './ticket-burst';
import type { Visibility } from './types';
import { parseWindow } from './windows';

export interface KaizenConfig {
  /** A ticket that fires again this soon after resolving reopens instead of counting anew. */
  reopenWindowMs: number;
  rules: DetectorRules;
  /** Tenant of Alertmanager alerts without a tenant_id label. */
  defaultTenant: string;
  /**
   * The bearer secret Alertmanager must present on the webhook, or a function that reads the
   * current one (the data directory's secret file, which the admin CLI rotates); null = no check,
   * which the server allows only with its explicit --alertmanager-anonymous.
   */
  alertmanagerToken: string | (() => string) | null;
  /** How fast tickets may be opened per tenant (Alertmanager and by hand). */
  ticketBurst: TicketBurstLimits;
  /** Windows of the kaizen_mttr_seconds gauges. */
  metricWindows: string[];
}

export interface Kaizen {
  /** The data directory's tickets, synchronous: the detector, pager, digest and metrics. */
  readonly store: TicketStore;
  /**
   * The tickets the API serves and the Alertmanager receiver files: `store` itself, or the
   * cluster's PostgreSQL with --database (docs/ARCHITECTURE.md, "State").
   */
  readonly tickets: TicketState;
  readonly detector: Detector;
  readonly config: KaizenConfig;
  /** Visibility recorded on tickets of this tenant (private when the tenant is unknown). */
  visibilityOf(tenantId: string): Visibility;
  /** Whether the tenant exists: alerts for others are refused, not filed. */
  hasTenant(tenantId: string): boolean;
  readonly ticketBurst: TicketBurst;
  now(): number;
  /** Starts the detector's evaluation timer. */
  start(): void;
  stop(): void;
  /** Before the streams stop at shutdown: see Detector.close. The database stays the caller's. */
  close(): void;
}

export interface KaizenOptions {
  db: Db;
  config?: Partial<KaizenConfig>;
  now?: () => number;
  /**
   * From the tenant registry; undefined for a tenant it does not know. Without it (tools that run
   * the loop on their own) every tenant counts as known.
   */
  visibilityOf?: (tenantId: string) => Visibility | undefined;
  log?: LogFn;
  /** The cluster's ticket state, made with Kaizen's clock and reopen window; default: `store`. */
  tickets?: (settings: { now: () => number; reopenWindowMs: number }) => TicketState;
  /** Whether this process's detector judges the tenant (its lease in a cluster); default: all. */
  ownsTenant?: (tenantId: string) => boolean;
}

export const DEFAULT_METRIC_WINDOWS = ['1h', '24h', '7d'];

export class KaizenConfigError extends Error {
  constructor(message: string) {
    super(`[kaizen] ${message}`);
    this.name = 'KaizenConfigError';
  }
}

/**
 * Settings from the environment: ALERTMANAGER_TOKEN, KAIZEN_RULES (a JSON file of rule
 * overrides), KAIZEN_REOPEN_WINDOW (like 10m) and KAIZEN_DEFAULT_TENANT.
 */
export function kaizenConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: { defaultTenant: string },
): Partial<KaizenConfig> {
  const config: Partial<KaizenConfig> = { defaultTenant: defaults.defaultTenant };
  const token = env.ALERTMANAGER_TOKEN;
  if (token !== undefined && token !== '') {
    if (token.length < 16) {
      throw new KaizenConfigError('ALERTMANAGER_TOKEN must be at least 16 characters');
    }
    config.alertmanagerToken = token;
  }
  if (env.KAIZEN_RULES) config.rules = loadDetectorRules(env.KAIZEN_RULES);
  if (env.KAIZEN_REOPEN_WINDOW) {
    try {
      config.reopenWindowMs = parseWindow(env.KAIZEN_REOPEN_WINDOW);
    } catch (error) {
      throw new KaizenConfigError(`KAIZEN_REOPEN_WINDOW: ${(error as Error).message}`);
    }
  }
  if (env.KAIZEN_DEFAULT_TENANT) config.defaultTenant = env.KAIZEN_DEFAULT_TENANT;
  return config;
}

export function createKaizen(options: KaizenOptions): Kaizen {
  const now = options.now ?? Date.now;
  const config: KaizenConfig = {
    reopenWindowMs: DEFAULT_REOPEN_WINDOW_MS,
    rules: DEFAULT_RULES,
    defaultTenant: 'demo',
    alertmanagerToken: null,
    ticketBurst: DEFAULT_TICKET_BURST,
    metricWindows: DEFAULT_METRIC_WINDOWS,
    ...options.config,
  };
  for (const window of config.metricWindows) parseWindow(window);
  const store = createTicketStore({
    db: options.db,
    now,
    reopenWindowMs: config.reopenWindowMs,
    log: options.log,
  });
  const detector = createDetector({
    store,
    rules: config.rules,
    now,
    log: options.log,
    owns: options.ownsTenant,
  });
  return {
    store,
    tickets:
      options.tickets?.({ now, reopenWindowMs: config.reopenWindowMs }) ?? sqliteTicketState(store),
    detector,
    config,
    now,
    visibilityOf: (tenantId) => options.visibilityOf?.(tenantId) ?? 'private',
    hasTenant: (tenantId) =>
      options.visibilityOf ? options.visibilityOf(tenantId) !== undefined : true,
    ticketBurst: createTicketBurst(config.ticketBurst, now),
    start: () => detector.start(),
    stop: () => detector.stop(),
    close: () => detector.close(),
  };
}
