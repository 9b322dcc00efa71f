import { describe, expect, it } from 'vitest';
import { resolveGpuThreshold } from './gpu-threshold';
import { DEFAULT_GPU_THRESHOLD } from './params';

describe('resolveGpuThreshold', () => {
  it("takes the URL's value over the tenant's", () => {
    expect(
      resolveGpuThreshold(20_000, 'demo', { gpuThreshold: 3000, gpuThresholdSource: 'tenant' }),
    ).toEqual({ spins: 20_000, source: 'url', tenant: 'demo' });
  });

  it("takes the tenant summary's threshold and says whose it is", () => {
    expect(
      resolveGpuThreshold(null, 'demo', { gpuThreshold: 3000, gpuThresholdSource: 'tenant' }),
    ).toEqual({ spins: 3000, source: 'tenant', tenant: 'demo' });
    expect(
      resolveGpuThreshold(null, 'demo', { gpuThreshold: 4000, gpuThresholdSource: 'server' }),
    ).toEqual({ spins: 4000, source: 'server', tenant: 'demo' });
  });

  it("uses the console's default until the summary is read", () => {
    expect(resolveGpuThreshold(null, null, undefined)).toEqual({
      spins: DEFAULT_GPU_THRESHOLD,
      source: 'default',
      tenant: null,
    });
  });
});
