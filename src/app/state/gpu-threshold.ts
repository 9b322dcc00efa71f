// Which GPU threshold applies to the heatmap, and why: the URL's `gpuThreshold` for this view, else
// the tenant's (its own setting or the server's --gpu-threshold, as the tenant summary says),
// else, until the summary is read, the console's default.
import type { TenantSummary } from '../../core/api/tenants';
import { DEFAULT_GPU_THRESHOLD } from './params';

/** `url`: this view's gpuThreshold=; `tenant`, `server`: the tenant summary's; `default`: not read yet. */
export type GpuThresholdSource = 'url' | 'tenant' | 'server' | 'default';

export interface GpuThreshold {
  spins: number;
  source: GpuThresholdSource;
  /** The tenant whose setting it is (or that the URL overrides); null before the stream names one. */
  tenant: string | null;
}

export function resolveGpuThreshold(
  urlSpins: number | null,
  tenant: string | null,
  summary: Pick<TenantSummary, 'gpuThreshold' | 'gpuThresholdSource'> | undefined,
): GpuThreshold {
  if (urlSpins !== null) return { spins: urlSpins, source: 'url', tenant };
  if (summary) return { spins: summary.gpuThreshold, source: summary.gpuThresholdSource, tenant };
  return { spins: DEFAULT_GPU_THRESHOLD, source: 'default', tenant };
}

/** Where the threshold comes from, as the renderer badge says it. */
export function gpuThresholdOrigin(threshold: GpuThreshold): string {
  const of = threshold.tenant === null ? 'the tenant' : `tenant ${threshold.tenant}`;
  switch (threshold.source) {
    case 'url':
      return "gpuThreshold= in this view's address, overriding the tenant's setting";
    case 'tenant':
      return `${of}'s own setting`;
    case 'server':
      return `the server's setting for ${threshold.tenant === null ? 'tenants' : of} (--gpu-threshold)`;
    case 'default':
      return "the console's default, until the tenant's setting is read";
  }
}
