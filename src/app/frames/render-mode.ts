// Which renderer draws: the CPU canvas below the spin threshold or without a working WebGL
// context, the GPU otherwise; `renderer=` in the URL forces one (WebGL permitting).
import type { RenderMode } from '../../render/types';
import { gpuThresholdOrigin, type GpuThreshold } from '../state/gpu-threshold';
import type { RendererPreference } from '../state/params';

export interface RenderModeInput {
  spins: number;
  gpuThreshold: GpuThreshold;
  preference: RendererPreference;
  webglAvailable: boolean;
  contextLost: boolean;
}

export function chooseRenderMode(input: RenderModeInput): { mode: RenderMode; reason: string } {
  if (input.preference === 'cpu') return { mode: 'cpu', reason: 'forced by renderer=cpu' };
  if (!input.webglAvailable) return { mode: 'cpu', reason: 'WebGL is not available' };
  if (input.contextLost) return { mode: 'cpu', reason: 'WebGL context lost' };
  if (input.preference === 'gpu') return { mode: 'gpu', reason: 'forced by renderer=gpu' };
  const spins = input.spins.toLocaleString('en-US');
  const threshold = `the GPU threshold of ${input.gpuThreshold.spins.toLocaleString('en-US')} spins (${gpuThresholdOrigin(input.gpuThreshold)})`;
  if (input.spins < input.gpuThreshold.spins)
    return { mode: 'cpu', reason: `${spins} spins is below ${threshold}` };
  return { mode: 'gpu', reason: `${spins} spins is at or above ${threshold}` };
}
