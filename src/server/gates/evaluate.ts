// The decision gates, judged from figures the server already has. Pure: the routes and the gate's
// ticket hand it the samples, and it answers the GatesReport's gates.
//   Phase 0 (burn-in): p95 frame latency < 7 ms, and the alarm volume of the last 24 h within the
//     expected range (from the baseline, or KAIZEN_ALARM_BAND).
//   Wire format (Protocol Buffers), any two of: 500 simultaneous WebSocket clients or 10 MB/s
//     egress; the codec's CPU p95 above half a core; external SDK demand recorded by an admin.
import type {
  Gate,
  GateCondition,
  GateMeasure,
  SdkDemandRecord,
  Verdict,
} from '../../core/api/gates';
import { percentile } from '../../core/stats';
import type { GateSample } from './sampler';

export const LATENCY_P95_LIMIT_MS = 7;
export const CLIENTS_LIMIT = 500;
/** 10 MB/s, MB being 10^6 bytes. */
export const EGRESS_LIMIT_BYTES_PER_S = 10e6;
export const CODEC_CPU_LIMIT_CORES = 0.5;
/** Egress is judged as its busiest minute in the window. */
const EGRESS_AVERAGE_S = 60;

export interface AlarmBand {
  low: number;
  high: number;
  /** Where the band comes from, for the condition's detail. */
  source: string;
}

export interface GateInputs {
  samples: readonly GateSample[];
  windowS: number;
  latency: readonly { tenant: string; p95Ms: number | null; samples: number }[];
  ticketsOpened24h: number;
  alarmBand: AlarmBand | null;
  sdkDemand: readonly SdkDemandRecord[];
}

function measure(
  name: string,
  value: number | null,
  unit: GateMeasure['unit'],
  comparator: GateMeasure['comparator'],
  threshold: GateMeasure['threshold'],
): GateMeasure {
  let verdict: Verdict = 'no_data';
  if (value !== null) {
    const holds =
      typeof threshold === 'number'
        ? comparator === '<'
          ? value < threshold
          : comparator === '>'
            ? value > threshold
            : value >= threshold
        : value >= threshold.low && value <= threshold.high;
    verdict = holds ? 'met' : 'not_met';
  }
  return { name, value, unit, comparator, threshold, verdict };
}

function condition(
  id: string,
  title: string,
  measures: GateMeasure[],
  detail: string,
): GateCondition {
  const verdicts = measures.map((m) => m.verdict);
  const verdict: Verdict = verdicts.includes('met')
    ? 'met'
    : verdicts.includes('no_data')
      ? 'no_data'
      : 'not_met';
  return { id, title, verdict, measures, detail };
}

function gateVerdict(conditions: readonly GateCondition[], requires: number): Verdict {
  const met = conditions.filter((c) => c.verdict === 'met').length;
  const open = conditions.filter((c) => c.verdict === 'no_data').length;
  if (met >= requires) return 'met';
  return met + open >= requires ? 'no_data' : 'not_met';
}

/** Per-second rates between consecutive samples. */
function perSecond(
  samples: readonly GateSample[],
  field: 'bytesSent' | 'encodeCpuMs',
): { atMs: number; rate: number }[] {
  return samples.slice(1).map((s, i) => {
    const prev = samples[i]!;
    const seconds = Math.max(1e-3, (s.atMs - prev.atMs) / 1000);
    return { atMs: s.atMs, rate: (s.totals[field] - prev.totals[field]) / seconds };
  });
}

function busiestMinute(rates: readonly { atMs: number; rate: number }[]): number | null {
  if (rates.length === 0) return null;
  let best = 0;
  for (let i = 0; i < rates.length; i++) {
    const from = rates[i]!.atMs - EGRESS_AVERAGE_S * 1000;
    const span = rates.filter((r, j) => j <= i && r.atMs > from);
    best = Math.max(best, span.reduce((sum, r) => sum + r.rate, 0) / span.length);
  }
  return best;
}

export function phaseZeroGate(inputs: GateInputs): Gate {
  const measured = inputs.latency.filter((t) => t.p95Ms !== null && t.samples > 0);
  const worst = measured.length > 0 ? Math.max(...measured.map((t) => t.p95Ms!)) : null;
  const band = inputs.alarmBand;
  const conditions = [
    condition(
      'latency-p95',
      'p95 frame latency under 7 ms',
      [measure('p95 frame latency, worst tenant', worst, 'ms', '<', LATENCY_P95_LIMIT_MS)],
      `Count-weighted mean of each second's p95 over the last ${inputs.windowS / 60} minutes, ` +
        `per tenant, as clients report it; ${measured.length} tenant(s) reported.`,
    ),
    condition(
      'alarm-volume',
      'Alarm volume within the expected range',
      [
        measure(
          'tickets opened in the last 24 h',
          band ? inputs.ticketsOpened24h : null,
          'tickets/day',
          'within',
          band ? { low: band.low, high: band.high } : { low: 0, high: 0 },
        ),
      ],
      band
        ? `Tickets opened or reopened in the last 24 h against ${band.source}.`
        : 'No expected range yet: create a baseline (npm run kaizen -- baseline create) or set KAIZEN_ALARM_BAND.',
    ),
  ];
  return {
    id: 'phase-0',
    title: 'Phase 0: burn-in',
    requires: 2,
    verdict: gateVerdict(conditions, 2),
    decision: 'Proceed to Phase 1 (resilience and cost validation).',
    conditions,
  };
}

export function wireFormatGate(inputs: GateInputs): Gate {
  const { samples } = inputs;
  const clients = samples.length > 0 ? Math.max(...samples.map((s) => s.clients)) : null;
  const egress = busiestMinute(perSecond(samples, 'bytesSent'));
  const codecPerSecond = perSecond(samples, 'encodeCpuMs').map((r) => r.rate / 1000);
  const codecP95 = codecPerSecond.length > 0 ? percentile(codecPerSecond, 0.95) : null;
  const minutes = inputs.windowS / 60;
  const conditions = [
    condition(
      'scale',
      '500 simultaneous WebSocket clients or 10 MB/s egress',
      [
        measure('peak WebSocket clients', clients, 'clients', '>=', CLIENTS_LIMIT),
        measure('busiest minute of egress', egress, 'bytes/s', '>=', EGRESS_LIMIT_BYTES_PER_S),
      ],
      `This process over the last ${minutes} minutes; frame messages only.`,
    ),
    condition(
      'codec-cpu',
      "p95 of the codec's CPU above half a core",
      [measure("p95 of each second's encode time", codecP95, 'cores', '>', CODEC_CPU_LIMIT_CORES)],
      `Encode time of every frame (codec_encode_cpu_seconds) per second, over the last ${minutes} ` +
        'minutes; decoding runs in the clients, not on this server.',
    ),
    condition(
      'sdk-demand',
      'External SDK demand',
      [measure('SDK demand records', inputs.sdkDemand.length, 'records', '>=', 1)],
      inputs.sdkDemand.length === 0
        ? 'None recorded (npm run admin -- sdk-demand record --sdk rust --reason "...").'
        : `Latest: ${inputs.sdkDemand.at(-1)!.sdk}, recorded ${inputs.sdkDemand.at(-1)!.recordedAt}; ` +
            'the reasons are in GET /api/gates/sdk-demand (with a token).',
    ),
  ];
  return {
    id: 'wire-format',
    title: 'Wire format: Protocol Buffers',
    requires: 2,
    verdict: gateVerdict(conditions, 2),
    decision: 'Plan the Protocol Buffers upgrade (docs/WIRE_FORMAT_ROADMAP.md).',
    conditions,
  };
}
