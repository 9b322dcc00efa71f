import { describe, expect, it } from 'vitest';
import {
  COLORMAP_NAMES,
  COLORMAP_SIZE,
  colormapIndex,
  colormapLut,
  colormapOklab,
  oklabToLinearSrgb,
} from './colormap';
import { quantizePhase } from './phase';

function deltaE(p: number[], q: number[]): number {
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}

describe.each(COLORMAP_NAMES)('colormap %s', (name) => {
  it('gives 0 and 2*pi the same colour', () => {
    expect(colormapIndex(quantizePhase(0))).toBe(colormapIndex(quantizePhase(2 * Math.PI)));
  });

  it('is closed: the step from the last entry to the first is an ordinary step', () => {
    const lab = colormapOklab(name);
    const steps = lab.map((c, k) => deltaE(c, lab[(k + 1) % lab.length]!));
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    expect(steps[steps.length - 1]!).toBeLessThan(mean * 1.5);
  });

  it('is perceptually uniform: every step between neighbouring entries is about the same size', () => {
    const lab = colormapOklab(name);
    const steps = lab.map((c, k) => deltaE(c, lab[(k + 1) % lab.length]!));
    expect(Math.max(...steps) / Math.min(...steps)).toBeLessThan(1.2);
  });

  it('stays inside the sRGB gamut, so clamping does not bend the uniform path', () => {
    for (const lab of colormapOklab(name)) {
      for (const channel of oklabToLinearSrgb(lab)) {
        expect(channel).toBeGreaterThanOrEqual(-0.002);
        expect(channel).toBeLessThanOrEqual(1.002);
      }
    }
  });

  it('has 256 opaque RGBA entries that differ from one another', () => {
    const lut = colormapLut(name);
    expect(lut.length).toBe(COLORMAP_SIZE * 4);
    const colours = new Set<number>();
    for (let k = 0; k < COLORMAP_SIZE; k++) {
      expect(lut[k * 4 + 3]).toBe(255);
      colours.add((lut[k * 4]! << 16) | (lut[k * 4 + 1]! << 8) | lut[k * 4 + 2]!);
    }
    expect(colours.size).toBeGreaterThan(200);
  });
});

describe('colormapIndex', () => {
  it.each([
    [0, 0],
    [255, 0],
    [256, 1],
    [32768, 128],
    [65535, 255],
  ])('maps phase %i to entry %i', (q, entry) => {
    expect(colormapIndex(q)).toBe(entry);
  });
});
