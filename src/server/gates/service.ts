// The decision gates of a running server: samples the process once a second, answers
// GET /api/gates, exports the SDK demand for Prometheus, and opens a ticket when the wire-format
// gate is met (the console's own view; the WireFormatGateMet rule is Prometheus'). The ticket is
// a decision to take, so it waits for a person: it is not resolved when the figures drop again.
import { Gauge, type Registry } from 'prom-client';
import type { GatesReport } from '../../core/api/gates';
import type { ObserverStatus } from '../../core/api/observer';
import type { TicketStore } from '../incidents/store';
import type { ServerMetrics } from '../metrics';
import type { Db } from '../storage/database';
import { phaseZeroGate, wireFormatGate, type AlarmBand, type GateInputs } from './evaluate';
import { createGateSampler, GATE_WINDOW_S } from './sampler';
import { listSdkDemand, openSdkDemand } from './sdk-demand';

export const GATE_TICKET_RULE = 'wire-format-gate';

export interface GatesOptions {
  db: Db;
  metrics: ServerMetrics;
  /** Every tenant the server knows, and WebSocket clients connected now. */
  tenants: () => readonly string[];
  clients: () => number;
  /** The configured band (KAIZEN_ALARM_BAND), else the baseline's; null when neither exists. */
  alarmBand: () => AlarmBand | null;
  /** Where the gate's ticket opens; none in tests that do not ask for it. */
  tickets?: { store: TicketStore; tenant: string; visibility: 'public' | 'private' };
  now?: () => number;
  log?: (line: string) => void;
}

export interface Gates {
  /**
   * The report for a caller who may see `visible` tenants, with the observer switch the caller
   * read from the notification state (console.db, or the cluster's PostgreSQL with --database).
   */
  report(visible: ReadonlySet<string>, observer: ObserverStatus): GatesReport;
  /** Takes a sample now (the timer's work; tests call it to step time). */
  sample(): void;
  /** Opens the gate's ticket when the wire-format gate is met; returns whether it is met. */
  checkWireFormat(): boolean;
  start(): void;
  stop(): void;
}

export function createGates(options: GatesOptions): Gates {
  const { db, metrics } = options;
  const now = options.now ?? Date.now;
  const sampler = createGateSampler();
  openSdkDemand(db);
  let timers: NodeJS.Timeout[] = [];

  const latency = () =>
    options.tenants().map((tenant) => {
      const seconds = metrics.latencySamples(tenant, GATE_WINDOW_S);
      const count = seconds.reduce((n, s) => n + s.count, 0);
      const weighted = seconds.reduce((sum, s) => sum + s.p95Ms * s.count, 0);
      return { tenant, p95Ms: count > 0 ? weighted / count : null, samples: count };
    });

  const inputs = (): GateInputs => {
    const hasTickets = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ticket_events'`)
      .get();
    return {
      samples: sampler.window(GATE_WINDOW_S),
      windowS: GATE_WINDOW_S,
      latency: latency(),
      ticketsOpened24h: hasTickets
        ? (db
            .prepare(
              `SELECT COUNT(*) FROM ticket_events WHERE kind IN ('opened', 'reopened') AND at >= ?`,
            )
            .pluck()
            .get(now() - 86_400_000) as number)
        : 0,
      alarmBand: options.alarmBand(),
      sdkDemand: listSdkDemand(db),
    };
  };

  const gates: Gates = {
    report(visible, observer) {
      const current = inputs();
      return {
        at: new Date(now()).toISOString(),
        gates: [phaseZeroGate(current), wireFormatGate(current)],
        observer,
        latencyByTenant: current.latency.filter((t) => visible.has(t.tenant)),
      };
    },
    sample() {
      sampler.sample(now(), options.clients(), metrics.processTotals());
    },
    checkWireFormat() {
      const gate = wireFormatGate(inputs());
      if (gate.verdict !== 'met' || !options.tickets) return gate.verdict === 'met';
      const { store, tenant, visibility } = options.tickets;
      const held = gate.conditions.filter((c) => c.verdict === 'met').map((c) => c.title);
      const { result } = store.openOrDedup({
        tenantId: tenant,
        visibility,
        title: `Wire-format gate met: ${held.length} of 3 conditions hold`,
        severity: 'warning',
        source: 'detector',
        fingerprint: `detector:${GATE_TICKET_RULE}:${tenant}`,
        summary:
          `${held.join('; ')}. Decide on the Protocol Buffers upgrade ` +
          '(docs/WIRE_FORMAT_ROADMAP.md); GET /api/gates shows the figures.',
        actor: 'gates',
      });
      if (result === 'opened' || result === 'reopened') {
        options.log?.(`[gates] wire-format gate met (${held.join('; ')}): ticket ${result}`);
      }
      return true;
    },
    start() {
      if (timers.length > 0) return;
      const sampling = setInterval(() => gates.sample(), 1000);
      const checking = setInterval(() => {
        try {
          gates.checkWireFormat();
        } catch (error) {
          options.log?.(
            `[gates] checking the wire-format gate failed: ${(error as Error).message}`,
          );
        }
      }, 15_000);
      sampling.unref();
      checking.unref();
      timers = [sampling, checking];
    },
    stop() {
      for (const t of timers) clearInterval(t);
      timers = [];
    },
  };
  return gates;
}

/** wire_format_sdk_demand_records: the third condition, for the WireFormatGateMet rule. */
export function registerGateMetrics(registry: Registry, db: Db): void {
  new Gauge({
    name: 'wire_format_sdk_demand_records',
    help: 'External SDK demand recorded by admins: the wire-format gate holds its third condition from 1',
    registers: [registry],
    collect() {
      this.set(listSdkDemand(db).length);
    },
  });
}
