// The policy view's figures for people: a policy's @figure path read from the request context and
// shown in the unit its name carries (µs as ms, milli-dollars as dollars, mg as g).
import type { PromotionFigures } from '../../core/api/policy';

interface Unit {
  suffix: RegExp;
  divisor: number;
  format: (value: number) => string;
}

const UNITS: Unit[] = [
  { suffix: /Us$/, divisor: 1000, format: (v) => `${v.toFixed(2)} ms` },
  { suffix: /MilliUsdPerDay$/, divisor: 1000, format: (v) => `$${v.toFixed(2)}/day` },
  { suffix: /MgPerDay$/, divisor: 1000, format: (v) => `${v.toFixed(1)} g CO2e/day` },
];

/** The number at a dotted path of the context, or null. */
export function contextValue(context: Record<string, unknown>, path: string): number | null {
  let value: unknown = context;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'number' ? value : null;
}

/** A raw context figure (`path` names its unit) as people read it. */
export function formatFigure(path: string, raw: number): string {
  const unit = UNITS.find((u) => u.suffix.test(path));
  return unit ? unit.format(raw / unit.divisor) : String(raw);
}

/** A @budget annotation: a number in the figure's unit is converted; words stay as written. */
export function formatBudget(path: string | null, budget: string): string {
  if (path !== null && /^\d+(\.\d+)?$/.test(budget)) return formatFigure(path, Number(budget));
  return budget;
}

export const usd = (v: number) => `$${v.toFixed(2)}`;
export const grams = (v: number) => `${v.toFixed(1)} g`;
export const ms = (v: number | null) => (v === null ? 'not measured' : `${v.toFixed(2)} ms`);

/** The figures of a decision, now and projected, as rows of a small table. */
export function figureRows(f: PromotionFigures): [string, string, string, string][] {
  return [
    ['Latency p95', ms(f.latency.p95Ms), ms(f.latency.projectedP95Ms), `SLO ${f.latency.sloMs} ms`],
    [
      'Egress a day',
      usd(f.cost.egressUsdPerDay),
      usd(f.cost.projectedEgressUsdPerDay),
      `at $${f.cost.usdPerGb}/GB`,
    ],
    [
      'Carbon a day',
      grams(f.carbon.gramsPerDay),
      grams(f.carbon.projectedGramsPerDay),
      `${f.carbon.wattsPerCore} W/core, ${f.carbon.gridGramsPerKwh} g/kWh`,
    ],
    ['Spins', String(f.spinsBefore), String(f.spinsAfter), `over the last ${f.windowS} s`],
  ];
}
