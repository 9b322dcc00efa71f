import { describe, expect, it } from 'vitest';
import { PHASE_STEPS, dequantizePhase, quantizeInto, quantizePhase } from './phase';

const TWO_PI = 2 * Math.PI;

describe('quantizePhase', () => {
  it.each([
    { name: 'zero', thetaRad: 0, q: 0 },
    { name: 'a quarter turn', thetaRad: Math.PI / 2, q: 16384 },
    { name: 'a half turn', thetaRad: Math.PI, q: 32768 },
    { name: 'just under a full turn', thetaRad: TWO_PI - 1e-9, q: 0 },
    { name: 'a full turn, same as zero', thetaRad: TWO_PI, q: 0 },
    { name: 'one step', thetaRad: TWO_PI / 65536, q: 1 },
    { name: 'the last step', thetaRad: (TWO_PI * 65535) / 65536, q: 65535 },
    { name: 'a negative quarter turn', thetaRad: -Math.PI / 2, q: 49152 },
    { name: 'a negative step', thetaRad: -TWO_PI / 65536, q: 65535 },
    { name: 'several turns plus a quarter', thetaRad: 7 * TWO_PI + Math.PI / 2, q: 16384 },
    {
      name: 'many negative turns minus a quarter',
      thetaRad: -1000 * TWO_PI - Math.PI / 2,
      q: 49152,
    },
    { name: 'half a step rounds up', thetaRad: (TWO_PI * 10.5) / 65536, q: 11 },
    { name: 'just under half a step rounds down', thetaRad: (TWO_PI * 10.49) / 65536, q: 10 },
  ])('maps $name to step $q', ({ thetaRad, q }) => {
    expect(quantizePhase(thetaRad)).toBe(q);
  });

  it('round-trips every step exactly through dequantizePhase', () => {
    let mismatches = 0;
    for (let q = 0; q < PHASE_STEPS; q++) if (quantizePhase(dequantizePhase(q)) !== q) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('loses at most half a step on arbitrary angles', () => {
    for (let k = 0; k < 1000; k++) {
      const thetaRad = k * 0.0137 - 3;
      const back = dequantizePhase(quantizePhase(thetaRad));
      const diff = Math.abs(Math.atan2(Math.sin(thetaRad - back), Math.cos(thetaRad - back)));
      expect(diff).toBeLessThanOrEqual(Math.PI / PHASE_STEPS + 1e-12);
    }
  });
});

describe('dequantizePhase', () => {
  it('returns angles in [0, 2*pi)', () => {
    expect(dequantizePhase(0)).toBe(0);
    expect(dequantizePhase(32768)).toBe(Math.PI);
    expect(dequantizePhase(65535)).toBeLessThan(TWO_PI);
  });
});

describe('quantizeInto', () => {
  it('quantizes every element as quantizePhase does', () => {
    const thetaRad = Float64Array.from({ length: 500 }, (_, i) => i * 0.731 - 100);
    const out = new Uint16Array(500);
    quantizeInto(thetaRad, out);
    expect(Array.from(out)).toEqual(Array.from(thetaRad, quantizePhase));
  });

  it('rejects an output of the wrong length', () => {
    expect(() => quantizeInto(new Float64Array(4), new Uint16Array(3))).toThrow(RangeError);
  });
});
