import { describe, expect, it } from 'vitest';
import { colormapLut } from '../core/colormap';
import { colorize, packLut } from './canvas-heatmap';

describe('colorize', () => {
  it('writes the colormap entry of each phase high byte, as the fragment shader does', () => {
    const lut = colormapLut('wheel');
    const phases = Uint16Array.from([0, 255, 256, 40000, 65535]);
    const out = new Uint32Array(phases.length);
    colorize(phases, packLut(lut), out);
    const bytes = new Uint8Array(out.buffer);
    phases.forEach((q, i) => {
      const entry = q >>> 8;
      expect([...bytes.subarray(i * 4, i * 4 + 4)]).toEqual([
        ...lut.subarray(entry * 4, entry * 4 + 4),
      ]);
    });
  });
});
