// The request context the bundle is evaluated with (ops/policy/schema.cedarschema), and the same
// figures in people's units for the API. Projections scale with the lattice: a frame's bytes, its
// encode and decode all grow with its spins, so latency, egress and CPU are scaled by
// spinsAfter / spinsBefore. That overstates the latency of a larger lattice a little (part of it
// is fixed per frame): the gate errs on the side of asking.
import type { PromotionFigures } from '../../core/api/policy';
import type { AppliedChange } from './change';
import type { TenantRates } from './figures';
import type { Pricing } from './settings';

const SECONDS_PER_DAY = 86_400;
const JOULES_PER_KWH = 3.6e6;

export function promotionFigures(
  applied: AppliedChange,
  rates: TenantRates,
  pricing: Pricing,
): PromotionFigures {
  const scale = applied.spinsBefore > 0 ? applied.spinsAfter / applied.spinsBefore : 1;
  const egressUsdPerDay = (rates.egressBytesPerS * SECONDS_PER_DAY * pricing.usdPerGb) / 1e9;
  const cpuSecondsPerDay = (rates.encodeCpuMsPerS / 1000) * SECONDS_PER_DAY;
  const grams = (cpuS: number) =>
    ((cpuS * pricing.wattsPerCore) / JOULES_PER_KWH) * pricing.gridGramsPerKwh;
  return {
    latency: {
      measured: rates.latencyP95Ms !== null,
      p95Ms: rates.latencyP95Ms,
      projectedP95Ms: rates.latencyP95Ms === null ? null : rates.latencyP95Ms * scale,
      sloMs: applied.after.sloMs,
    },
    cost: {
      egressUsdPerDay,
      projectedEgressUsdPerDay: egressUsdPerDay * scale,
      usdPerGb: pricing.usdPerGb,
    },
    carbon: {
      cpuSecondsPerDay,
      projectedCpuSecondsPerDay: cpuSecondsPerDay * scale,
      gramsPerDay: grams(cpuSecondsPerDay),
      projectedGramsPerDay: grams(cpuSecondsPerDay * scale),
      wattsPerCore: pricing.wattsPerCore,
      gridGramsPerKwh: pricing.gridGramsPerKwh,
    },
    spinsBefore: applied.spinsBefore,
    spinsAfter: applied.spinsAfter,
    windowS: Math.round(rates.windowS),
  };
}

const whole = (n: number) => Math.round(n);

function settings(spec: AppliedChange['after'], spins: number) {
  return {
    visibility: spec.visibility,
    source: spec.source.kind,
    spins,
    sloUs: whole(spec.sloMs * 1000),
    gpuThreshold: spec.gpuThreshold ?? -1,
  };
}

/** The Cedar context: whole numbers in the units their names carry. */
export function policyContext(kind: string, applied: AppliedChange, figures: PromotionFigures) {
  const { latency, cost, carbon } = figures;
  return {
    kind,
    change: {
      fields: applied.fields,
      before: settings(applied.before, applied.spinsBefore),
      after: settings(applied.after, applied.spinsAfter),
    },
    latency: {
      measured: latency.measured,
      p95Us: whole((latency.p95Ms ?? 0) * 1000),
      projectedP95Us: whole((latency.projectedP95Ms ?? 0) * 1000),
      sloUs: whole(latency.sloMs * 1000),
    },
    cost: {
      egressMilliUsdPerDay: whole(cost.egressUsdPerDay * 1000),
      projectedEgressMilliUsdPerDay: whole(cost.projectedEgressUsdPerDay * 1000),
    },
    carbon: {
      cpuSecondsPerDay: whole(carbon.cpuSecondsPerDay),
      projectedCpuSecondsPerDay: whole(carbon.projectedCpuSecondsPerDay),
      mgPerDay: whole(carbon.gramsPerDay * 1000),
      projectedMgPerDay: whole(carbon.projectedGramsPerDay * 1000),
    },
  };
}
