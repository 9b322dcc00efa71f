import { describe, expect, it } from 'vitest';
import { chooseRenderMode, type RenderModeInput } from './render-mode';

const at = (spins: number): RenderModeInput['gpuThreshold'] => ({
  spins,
  source: 'server',
  tenant: 'demo',
});

const base: RenderModeInput = {
  spins: 12_000,
  gpuThreshold: at(5000),
  preference: 'auto',
  webglAvailable: true,
  contextLost: false,
};

describe('chooseRenderMode', () => {
  const CASES: { name: string; input: Partial<RenderModeInput>; mode: 'gpu' | 'cpu' }[] = [
    { name: '12k spins over the default threshold draw on the GPU', input: {}, mode: 'gpu' },
    {
      name: 'a threshold above the spin count draws on the CPU',
      input: { gpuThreshold: at(20_000) },
      mode: 'cpu',
    },
    {
      name: 'exactly at the threshold draws on the GPU',
      input: { gpuThreshold: at(12_000) },
      mode: 'gpu',
    },
    { name: '3,000 spins draw on the CPU by default', input: { spins: 3000 }, mode: 'cpu' },
    { name: 'renderer=cpu forces the CPU', input: { preference: 'cpu' }, mode: 'cpu' },
    {
      name: 'renderer=gpu forces the GPU below the threshold',
      input: { preference: 'gpu', spins: 10 },
      mode: 'gpu',
    },
    { name: 'missing WebGL falls back to the CPU', input: { webglAvailable: false }, mode: 'cpu' },
    { name: 'a lost context falls back to the CPU', input: { contextLost: true }, mode: 'cpu' },
    {
      name: 'renderer=gpu cannot override a lost context',
      input: { preference: 'gpu', contextLost: true },
      mode: 'cpu',
    },
  ];
  it.each(CASES)('$name', ({ input, mode }) => {
    const result = chooseRenderMode({ ...base, ...input });
    expect(result.mode).toBe(mode);
    expect(result.reason.length).toBeGreaterThan(0);
  });
});

describe('the reason names the threshold and where it comes from', () => {
  it.each([
    ['url', "gpuThreshold= in this view's address"],
    ['tenant', "tenant demo's own setting"],
    ['server', "the server's setting for tenant demo (--gpu-threshold)"],
    ['default', "the console's default"],
  ] as const)('%s', (source, words) => {
    const { mode, reason } = chooseRenderMode({
      ...base,
      spins: 3000,
      gpuThreshold: { spins: 4000, source, tenant: 'demo' },
    });
    expect(mode).toBe('cpu');
    expect(reason).toMatch(/^3,000 spins is below the GPU threshold of 4,000 spins \(.+\)$/);
    expect(reason).toContain(words);
  });
});
