import { describe, expect, it } from 'vitest';
import { chooseRenderMode, type RenderModeInput } from './render-mode';

const base: RenderModeInput = {
  spins: 12_000,
  gpuThreshold: 5000,
  preference: 'auto',
  webglAvailable: true,
  contextLost: false,
};

describe('chooseRenderMode', () => {
  const CASES: { name: string; input: Partial<RenderModeInput>; mode: 'gpu' | 'cpu' }[] = [
    { name: '12k spins over the default threshold draw on the GPU', input: {}, mode: 'gpu' },
    {
      name: 'a threshold above the spin count draws on the CPU',
      input: { gpuThreshold: 20_000 },
      mode: 'cpu',
    },
    {
      name: 'exactly at the threshold draws on the GPU',
      input: { gpuThreshold: 12_000 },
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
