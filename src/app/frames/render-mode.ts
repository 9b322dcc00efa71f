// Which renderer draws: the CPU canvas below the spin threshold or without a working WebGL
// context, the GPU otherwise; `renderer=` in the URL forces one (WebGL permitting).
import type { RenderMode } from '../../render/types';
import type { RendererPreference } from '../state/params';

export interface RenderModeInput {
  spins: number;
  gpuThreshold: number;
  preference: RendererPreference;
  webglAvailable: boolean;
  contextLost: boolean;
}

export function chooseRenderMode(input: RenderModeInput): { mode: RenderMode; reason: string } {
  if (input.preference === 'cpu') return { mode: 'cpu', reason: 'forced by renderer=cpu' };
  if (!input.webglAvailable) return { mode: 'cpu', reason: 'WebGL is not available' };
  if (input.contextLost) return { mode: 'cpu', reason: 'WebGL context lost' };
  if (input.preference === 'gpu') return { mode: 'gpu', reason: 'forced by renderer=gpu' };
  if (input.spins < input.gpuThreshold) {
    return {
      mode: 'cpu',
      reason: `${input.spins} spins is below the GPU threshold of ${input.gpuThreshold}`,
    };
  }
  return {
    mode: 'gpu',
    reason: `${input.spins} spins is at or above the GPU threshold of ${input.gpuThreshold}`,
  };
}
