import { describe, expect, it } from 'vitest';
import { orderParameter, vortexCount } from '../core/metrics';
import { quantizePhase } from '../core/phase';
import { createLattice, DEFAULT_LATTICE_PARAMS } from './lattice';

function runFrames(seed: bigint, frames: number): Float64Array {
  const lattice = createLattice({ width: 40, height: 30, seed });
  for (let k = 0; k < frames; k++) lattice.advanceFrame();
  return Float64Array.from(lattice.phases);
}

describe('createLattice', () => {
  it('is deterministic: the same seed gives bit-identical phases', () => {
    expect(runFrames(123n, 50)).toEqual(runFrames(123n, 50));
  });

  it('gives different phases for a different seed', () => {
    expect(runFrames(123n, 50)).not.toEqual(runFrames(124n, 50));
  });

  it('keeps phases in [0, 2*pi) and advances simulated time by dtS * stepsPerFrame', () => {
    const lattice = createLattice({ width: 16, height: 9 });
    for (let k = 0; k < 30; k++) lattice.advanceFrame();
    for (const theta of lattice.phases) expect(theta >= 0 && theta < 2 * Math.PI).toBe(true);
    const { dtS, stepsPerFrame } = DEFAULT_LATTICE_PARAMS;
    expect(lattice.timeS).toBeCloseTo(30 * dtS * stepsPerFrame, 12);
  });

  it('keeps a uniform lattice of identical oscillators uniform, turning at omega - 4 K sin(alpha)', () => {
    // initialScaleCells larger than the lattice leaves only the constant Fourier mode.
    const params = {
      width: 8,
      height: 6,
      couplingK: 2,
      alphaRad: 0.3,
      omegaMeanRadPerS: 5,
      omegaSpreadRadPerS: 0,
      initialScaleCells: 100,
    };
    const lattice = createLattice(params);
    const start = lattice.phases[0]!;
    for (let k = 0; k < 60; k++) lattice.advanceFrame();
    const expectedRad = start + (5 - 4 * 2 * Math.sin(0.3)) * lattice.timeS;
    const wrapped = ((expectedRad % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    for (const theta of lattice.phases) expect(theta).toBeCloseTo(wrapped, 9);
  });

  it('quantizes its phases as the trace stores them', () => {
    const lattice = createLattice({ width: 5, height: 4 });
    const out = new Uint16Array(20);
    lattice.quantizeInto(out);
    for (let i = 0; i < 20; i++) {
      expect(out[i]).toBe(quantizePhase(lattice.phases[i]!));
    }
  });

  it.each([
    { name: 'a zero width', params: { width: 0 } },
    { name: 'a fractional height', params: { height: 2.5 } },
    { name: 'too many spins', params: { width: 5000, height: 5000 } },
    { name: 'zero steps per frame', params: { stepsPerFrame: 0 } },
    { name: 'a negative spread', params: { omegaSpreadRadPerS: -1 } },
    { name: 'a non-finite coupling', params: { couplingK: Number.NaN } },
    { name: 'a step that turns a spin by more than pi', params: { dtS: 1 } },
  ])('rejects $name', ({ params }) => {
    expect(() => createLattice(params)).toThrow(RangeError);
  });

  it('with default parameters, shows moving spiral structure over a 120 x 100, 1,200-frame run', () => {
    const lattice = createLattice();
    const { width, height } = lattice;
    expect([width, height]).toEqual([120, 100]);
    const current = new Uint16Array(width * height);
    const previous = new Uint16Array(width * height);
    const rs: number[] = [];
    const vortices: number[] = [];
    let lastMeanMoveRad = 0;
    let maxMeanMoveRad = 0;
    for (let k = 0; k < 1200; k++) {
      if (k > 0) lattice.advanceFrame();
      previous.set(current);
      lattice.quantizeInto(current);
      if (k >= 60 && k % 20 === 0) {
        rs.push(orderParameter(current).r);
        vortices.push(vortexCount(current, width, height).total);
        let moveSteps = 0;
        for (let i = 0; i < current.length; i++) {
          moveSteps += Math.abs(((current[i]! - previous[i]! + 32768) & 0xffff) - 32768);
        }
        lastMeanMoveRad = ((moveSteps / current.length) * 2 * Math.PI) / 65536;
        maxMeanMoveRad = Math.max(maxMeanMoveRad, lastMeanMoveRad);
      }
    }
    // Neither incoherent noise that averages out completely nor one synchronized colour.
    for (const r of rs) expect(r).toBeLessThan(0.95);
    expect(Math.max(...rs)).toBeGreaterThan(0);
    // Spiral cores persist for the whole run: vortices, but not a noise-like multitude.
    for (const count of vortices) {
      expect(count).toBeGreaterThanOrEqual(2);
      expect(count).toBeLessThan(200);
    }
    // Still turning at the end, and smoothly: well under pi/4 per frame.
    expect(lastMeanMoveRad).toBeGreaterThan(0.02);
    expect(maxMeanMoveRad).toBeLessThan(Math.PI / 8);
  });
});
