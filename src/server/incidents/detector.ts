// Watches every registered stream and turns rule breaches into tickets: a rule that starts
// firing opens (or deduplicates into, or reopens) its incident's ticket, and the ticket resolves
// itself when the rule clears. Observations only record; `evaluate` decides, so a test drives the
// whole thing with a virtual clock and the server with a 250 ms timer.
import type { TicketStore } from './store';
import type { DetectorRules } from './detector-rules';
import type { Visibility } from './types';
import type { LogFn } from '../logging/log-line';
import { quantile } from './mttr';

export const RULE_NAMES = ['stream-stalled', 'order-parameter-low', 'latency-above-slo'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** The actor of detector events on ticket timelines. */
export const DETECTOR_ACTOR = 'detector';

/** Fan-out times kept per stream: over a minute of frames at 60 frames/s. */
const FAN_OUT_CAPACITY = 8192;
/** Per-second client figures kept per stream: an hour, the longest window the rules allow. */
const SECONDS_CAPACITY = 3600;

export function detectorFingerprint(rule: RuleName, tenantId: string): string {
  return `detector:${rule}:${tenantId}`;
}

export interface StreamHealth {
  tenantId: string;
  lastFrameAtMs: number;
  orderParameterR: number | null;
  /**
   * The latency rule's signal: the configured quantile over the trailing window of the server's
   * fan-out times or of the clients' per-second figures, whichever is higher; null below
   * minSamples of both.
   */
  latencyQuantileMs: number | null;
  sloMs: number;
  firing: RuleName[];
}

export interface Detector {
  readonly rules: DetectorRules;
  now(): number;
  registerStream(tenantId: string, visibility: Visibility): void;
  /** Resolves the stream's open detector tickets ("stream unregistered") and forgets it. */
  unregisterStream(tenantId: string): void;
  /** A frame was produced; `orderParameterR` when it was measured on this frame. */
  observeFrame(tenantId: string, atMs: number, orderParameterR?: number): void;
  /** A frame's fan-out on the server (production to its last client write, ms), timed at now(). */
  observeFanOut(tenantId: string, fanOutMs: number): void;
  /**
   * One second of the tenant's client-reported latencies (ServerMetrics.onLatencySecond): the
   * median over `clients` clients of their p95s, from `count` samples; timed at now().
   */
  observeLatencySecond(
    tenantId: string,
    second: { p95Ms: number; count: number; clients: number },
  ): void;
  setTenantSlo(tenantId: string, sloMs: number): void;
  sloOf(tenantId: string): number;
  /** Tenants with an SLO of their own or a registered stream, with the SLO in force. */
  slos(): { tenantId: string; sloMs: number }[];
  evaluate(nowMs: number): void;
  health(): StreamHealth[];
  /** Evaluates every rules.evaluationIntervalMs on a timer that does not hold the process. */
  start(): void;
  stop(): void;
  /**
   * For server shutdown: stops the timer and ignores everything after, so streams stopping with
   * the process leave their tickets open (the next process resolves them once clear) instead of
   * resolving them as "stream unregistered".
   */
  close(): void;
}

export interface DetectorOptions {
  store: TicketStore;
  rules: DetectorRules;
  /**
   * Whether this process judges the tenant: in a cluster, the holder of the tenant's detector
   * lease, so each tenant's tickets are opened once. Without it, every tenant.
   */
  owns?: (tenantId: string) => boolean;
  now?: () => number;
  log?: LogFn;
}

interface RuleState {
  /** When the rule's condition became true; null while it is false. */
  since: number | null;
  /** A ticket is open for it (opened by this detector, or left open by a previous process). */
  firing: boolean;
}

interface StreamState {
  visibility: Visibility;
  lastFrameAtMs: number;
  r: number | null;
  fanOut: TimedRing;
  /** Per-second client figures that count (minClients or more clients), with their samples. */
  clientSeconds: TimedRing;
  clientCounts: Float64Array;
  rules: Record<RuleName, RuleState>;
}

/** Timed values in a fixed ring: the newest `capacity`. */
interface TimedRing {
  atMs: Float64Array;
  values: Float64Array;
  next: number;
  filled: number;
}

function timedRing(capacity: number): TimedRing {
  return {
    atMs: new Float64Array(capacity),
    values: new Float64Array(capacity),
    next: 0,
    filled: 0,
  };
}

/** Adds a value; returns the slot it took. */
function push(ring: TimedRing, atMs: number, value: number): number {
  const slot = ring.next;
  ring.atMs[slot] = atMs;
  ring.values[slot] = value;
  ring.next = (slot + 1) % ring.atMs.length;
  ring.filled = Math.min(ring.atMs.length, ring.filled + 1);
  return slot;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export function createDetector(options: DetectorOptions): Detector {
  const { store, rules } = options;
  const now = options.now ?? Date.now;
  const log: LogFn = options.log ?? (() => {});
  const streams = new Map<string, StreamState>();
  const sloMsByTenant = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const sloOf = (tenantId: string): number =>
    sloMsByTenant.get(tenantId) ?? rules.latencyAboveSlo.defaultSloMs;

  /**
   * The quantile of the server's fan-out times and that of the clients' per-second figures over
   * the window, each only with minSamples behind it; the higher of the two, or null.
   */
  const latencyQuantile = (state: StreamState, nowMs: number): number | null => {
    const rule = rules.latencyAboveSlo;
    const since = nowMs - rule.windowMs;
    const fanOut: number[] = [];
    for (let i = 0; i < state.fanOut.filled; i++) {
      if (state.fanOut.atMs[i]! >= since) fanOut.push(state.fanOut.values[i]!);
    }
    const seconds: number[] = [];
    let reported = 0;
    for (let i = 0; i < state.clientSeconds.filled; i++) {
      if (state.clientSeconds.atMs[i]! < since) continue;
      seconds.push(state.clientSeconds.values[i]!);
      reported += state.clientCounts[i]!;
    }
    const figures = [
      fanOut.length >= rule.minSamples ? fanOut : null,
      reported >= rule.minSamples ? seconds : null,
    ].flatMap((values) =>
      values
        ? [
            quantile(
              values.sort((a, b) => a - b),
              rule.quantile,
            ),
          ]
        : [],
    );
    return figures.length > 0 ? Math.max(...figures) : null;
  };

  const fire = (
    tenantId: string,
    state: StreamState,
    rule: RuleName,
    text: { title: string; summary: string },
  ): void => {
    const severity = {
      'stream-stalled': rules.streamStalled.severity,
      'order-parameter-low': rules.orderParameterLow.severity,
      'latency-above-slo': rules.latencyAboveSlo.severity,
    }[rule];
    try {
      const { result, ticket } = store.openOrDedup({
        tenantId,
        visibility: state.visibility,
        title: text.title,
        severity,
        source: 'detector',
        fingerprint: detectorFingerprint(rule, tenantId),
        summary: text.summary,
        actor: DETECTOR_ACTOR,
        detail: text.summary,
      });
      state.rules[rule].firing = true;
      log(`[kaizen] ${rule} on ${tenantId}: ticket ${ticket.id} ${result}`, {
        tenant: tenantId,
        level: 'warn',
      });
    } catch (error) {
      // Left not firing, so the next evaluation tries again.
      log(`[kaizen] ${rule} on ${tenantId}: cannot open a ticket: ${(error as Error).message}`, {
        tenant: tenantId,
        level: 'error',
      });
    }
  };

  const clear = (tenantId: string, state: StreamState, rule: RuleName, detail: string): void => {
    try {
      const ticket = store.resolveIncident(tenantId, detectorFingerprint(rule, tenantId), {
        detail,
      });
      state.rules[rule].firing = false;
      if (ticket) {
        log(`[kaizen] ${rule} on ${tenantId}: ticket ${ticket.id} resolved (${detail})`, {
          tenant: tenantId,
        });
      }
    } catch (error) {
      log(`[kaizen] ${rule} on ${tenantId}: cannot resolve: ${(error as Error).message}`, {
        tenant: tenantId,
        level: 'error',
      });
    }
  };

  /** Moves one rule's state machine: fire after `forMs` of condition, clear when it is false. */
  const step = (
    tenantId: string,
    state: StreamState,
    rule: RuleName,
    condition: boolean,
    nowMs: number,
    forMs: number,
    describe: () => { title: string; summary: string; cleared: string },
  ): void => {
    const r = state.rules[rule];
    if (condition) {
      r.since ??= nowMs;
      if (!r.firing && nowMs - r.since >= forMs) fire(tenantId, state, rule, describe());
    } else {
      r.since = null;
      if (r.firing) clear(tenantId, state, rule, describe().cleared);
    }
  };

  const evaluateStream = (tenantId: string, state: StreamState, nowMs: number): void => {
    const stall = rules.streamStalled;
    const silentMs = nowMs - state.lastFrameAtMs;
    step(
      tenantId,
      state,
      'stream-stalled',
      stall.enabled && silentMs >= stall.afterMs,
      nowMs,
      0,
      () => ({
        title: `Stream ${tenantId} stalled: no frame for ${seconds(stall.afterMs)}`,
        summary: `No frame since ${new Date(state.lastFrameAtMs).toISOString()} (${seconds(silentMs)} at detection).`,
        cleared: 'frames resumed',
      }),
    );

    const low = rules.orderParameterLow;
    const r = state.r;
    step(
      tenantId,
      state,
      'order-parameter-low',
      low.enabled && r !== null && r < low.threshold,
      nowMs,
      low.forMs,
      () => ({
        title: `Order parameter of ${tenantId} below ${low.threshold} for ${seconds(low.forMs)}`,
        summary: `R = ${r?.toFixed(4) ?? 'unknown'}; threshold ${low.threshold}.`,
        cleared: `R back to ${r?.toFixed(4) ?? 'unknown'}`,
      }),
    );

    const slo = rules.latencyAboveSlo;
    const sloMs = sloOf(tenantId);
    const q = slo.enabled ? latencyQuantile(state, nowMs) : null;
    const pName = `p${Math.round(slo.quantile * 100)}`;
    step(tenantId, state, 'latency-above-slo', q !== null && q > sloMs, nowMs, slo.forMs, () => ({
      title: `${pName} latency of ${tenantId} above its ${sloMs} ms SLO`,
      summary: `${pName} = ${q?.toFixed(2) ?? 'n/a'} ms over the last ${seconds(slo.windowMs)}; SLO ${sloMs} ms.`,
      cleared:
        q === null
          ? `fewer than ${slo.minSamples} latency samples in ${seconds(slo.windowMs)}`
          : `${pName} back to ${q.toFixed(2)} ms`,
    }));
  };

  const detector: Detector = {
    rules,
    now,

    registerStream(tenantId, visibility) {
      if (closed) return;
      const existing = streams.get(tenantId);
      if (existing) {
        existing.visibility = visibility;
        return;
      }
      const ruleState = (rule: RuleName): RuleState => ({
        since: null,
        // A ticket a previous process left open resolves at the first evaluation that finds
        // its rule clear, instead of staying open forever.
        firing: store.findUnresolved(tenantId, detectorFingerprint(rule, tenantId)) !== undefined,
      });
      streams.set(tenantId, {
        visibility,
        lastFrameAtMs: now(),
        r: null,
        fanOut: timedRing(FAN_OUT_CAPACITY),
        clientSeconds: timedRing(SECONDS_CAPACITY),
        clientCounts: new Float64Array(SECONDS_CAPACITY),
        rules: {
          'stream-stalled': ruleState('stream-stalled'),
          'order-parameter-low': ruleState('order-parameter-low'),
          'latency-above-slo': ruleState('latency-above-slo'),
        },
      });
    },

    unregisterStream(tenantId) {
      const state = streams.get(tenantId);
      if (!state || closed) return;
      for (const rule of RULE_NAMES) {
        if (state.rules[rule].firing) clear(tenantId, state, rule, 'stream unregistered');
      }
      streams.delete(tenantId);
    },

    observeFrame(tenantId, atMs, orderParameterR) {
      const state = streams.get(tenantId);
      if (!state) return;
      // A gap that no evaluation saw: the process itself was frozen (SIGSTOP, a long blocking
      // pause), which stops the evaluation timer too, and the first timer to run after it is
      // usually the stream's. Clients saw the silence all the same, so the stall is recorded now;
      // the next evaluation finds frames flowing and resolves it.
      const stall = rules.streamStalled;
      const gapMs = atMs - state.lastFrameAtMs;
      if (stall.enabled && gapMs >= stall.afterMs && !state.rules['stream-stalled'].firing) {
        fire(tenantId, state, 'stream-stalled', {
          title: `Stream ${tenantId} stalled: no frame for ${seconds(stall.afterMs)}`,
          summary:
            `No frame from ${new Date(state.lastFrameAtMs).toISOString()} for ${seconds(gapMs)}; ` +
            'the server process was not running meanwhile, so the stall was seen when frames resumed.',
        });
      }
      state.lastFrameAtMs = Math.max(state.lastFrameAtMs, atMs);
      if (orderParameterR !== undefined && Number.isFinite(orderParameterR)) {
        state.r = orderParameterR;
        const low = rules.orderParameterLow;
        const rule = state.rules['order-parameter-low'];
        // Timed from the observation, not the next evaluation, so forMs is exact.
        if (orderParameterR < low.threshold) rule.since ??= atMs;
        else rule.since = null;
      }
    },

    observeFanOut(tenantId, fanOutMs) {
      const state = streams.get(tenantId);
      if (!state || !Number.isFinite(fanOutMs)) return;
      push(state.fanOut, now(), Math.max(0, fanOutMs));
    },

    observeLatencySecond(tenantId, second) {
      const state = streams.get(tenantId);
      if (!state || !Number.isFinite(second.p95Ms)) return;
      // One client, or too few to outvote one, cannot speak for the tenant: not counted.
      if (second.clients < rules.latencyAboveSlo.minClients) return;
      const slot = push(state.clientSeconds, now(), Math.max(0, second.p95Ms));
      state.clientCounts[slot] = second.count;
    },

    setTenantSlo(tenantId, sloMs) {
      if (!Number.isFinite(sloMs) || sloMs <= 0) {
        throw new RangeError(`[kaizen] SLO of ${tenantId} must be > 0 ms, got ${sloMs}`);
      }
      sloMsByTenant.set(tenantId, sloMs);
    },

    sloOf,

    slos() {
      const tenants = new Set([...sloMsByTenant.keys(), ...streams.keys()]);
      return [...tenants].sort().map((tenantId) => ({ tenantId, sloMs: sloOf(tenantId) }));
    },

    evaluate(nowMs) {
      if (closed) return;
      for (const [tenantId, state] of streams) {
        if (options.owns && !options.owns(tenantId)) continue;
        evaluateStream(tenantId, state, nowMs);
      }
    },

    health() {
      const nowMs = now();
      return [...streams].map(([tenantId, state]) => ({
        tenantId,
        lastFrameAtMs: state.lastFrameAtMs,
        orderParameterR: state.r,
        latencyQuantileMs: latencyQuantile(state, nowMs),
        sloMs: sloOf(tenantId),
        firing: RULE_NAMES.filter((rule) => state.rules[rule].firing),
      }));
    },

    start() {
      if (timer || closed) return;
      timer = setInterval(() => detector.evaluate(now()), rules.evaluationIntervalMs);
      timer.unref();
    },

    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },

    close() {
      detector.stop();
      closed = true;
      streams.clear();
    },
  };
  return detector;
}
