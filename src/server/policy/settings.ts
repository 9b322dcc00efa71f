// The policy gate's settings from the environment (docs/OPERATIONS.md, "Settings"): where the
// bundle is and the prices the figures are weighed with.
import path from 'node:path';
import { DEFAULT_BUNDLE_DIR } from './bundle';

export interface Pricing {
  /** Egress price, US dollars per GB (10^9 bytes), as the bandwidth panel's default. */
  usdPerGb: number;
  /** Power drawn per busy core, watts. */
  wattsPerCore: number;
  /** Grid carbon intensity, grams CO2e per kWh. */
  gridGramsPerKwh: number;
}

export interface PolicySettings {
  bundleDir: string;
  pricing: Pricing;
}

export const DEFAULT_PRICING: Pricing = { usdPerGb: 0.09, wattsPerCore: 10, gridGramsPerKwh: 400 };

export class PolicySettingsError extends Error {
  constructor(message: string) {
    super(`[policy] ${message}`);
    this.name = 'PolicySettingsError';
  }
}

function positive(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(value) || value > 1e6) {
    throw new PolicySettingsError(
      `${name} must be a number from 0 to 1000000, got "${raw.slice(0, 20)}"`,
    );
  }
  return value;
}

export function policySettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): PolicySettings {
  return {
    bundleDir: path.resolve(env.POLICY_BUNDLE || DEFAULT_BUNDLE_DIR),
    pricing: {
      usdPerGb: positive(env, 'EGRESS_USD_PER_GB', DEFAULT_PRICING.usdPerGb),
      wattsPerCore: positive(env, 'CPU_WATTS_PER_CORE', DEFAULT_PRICING.wattsPerCore),
      gridGramsPerKwh: positive(env, 'GRID_GCO2E_PER_KWH', DEFAULT_PRICING.gridGramsPerKwh),
    },
  };
}
