import { describe, expect, it } from 'vitest';
import { PhaseHistory, type PhaseSample } from './phase-history';

function sample(atMs: number, overrides: Partial<PhaseSample> = {}): PhaseSample {
  return {
    atMs,
    frameIndex: atMs,
    producedAtMs: 1_772_366_400_000 + atMs,
    orderR: 0.5,
    psiRad: 1,
    vortices: 4,
    ...overrides,
  };
}

describe('PhaseHistory', () => {
  it('is empty until the first frame', () => {
    const history = new PhaseHistory(8);
    expect(history.latest()).toBeNull();
    expect(history.window(10_000)).toEqual([]);
  });

  it('returns the newest sample with the values pushed', () => {
    const history = new PhaseHistory(8);
    history.push(sample(10));
    history.push(sample(20, { orderR: 0.75, psiRad: 2.5, vortices: 12, frameIndex: 7 }));
    const latest = history.latest()!;
    expect(latest.atMs).toBe(20);
    expect(latest.frameIndex).toBe(7);
    expect(latest.orderR).toBeCloseTo(0.75, 6);
    expect(latest.psiRad).toBeCloseTo(2.5, 6);
    expect(latest.vortices).toBe(12);
  });

  it('keeps only the newest samples once the ring is full, oldest first', () => {
    const history = new PhaseHistory(4);
    for (let t = 1; t <= 10; t++) history.push(sample(t));
    expect(history.length).toBe(4);
    expect(history.window(1e9).map((s) => s.atMs)).toEqual([7, 8, 9, 10]);
  });

  it('windows by age relative to the newest sample', () => {
    const history = new PhaseHistory(64);
    for (let t = 0; t <= 20_000; t += 1000) history.push(sample(t));
    expect(history.window(10_000).map((s) => s.atMs)).toEqual([
      10_000, 11_000, 12_000, 13_000, 14_000, 15_000, 16_000, 17_000, 18_000, 19_000, 20_000,
    ]);
  });

  it('thins to one sample per bin, the newest of each, keeping the newest overall', () => {
    const history = new PhaseHistory(64);
    for (let t = 0; t <= 1000; t += 50) history.push(sample(t));
    const times = history.window(1000, 200).map((s) => s.atMs);
    expect(times).toEqual([150, 350, 550, 750, 950, 1000]);
  });

  it('picks the same samples on a later read (bins follow the clock)', () => {
    const history = new PhaseHistory(256);
    for (let t = 0; t <= 2000; t += 16) history.push(sample(t));
    const before = history.window(10_000, 100).map((s) => s.atMs);
    history.push(sample(2016));
    const after = history.window(10_000, 100).map((s) => s.atMs);
    expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
    expect(after.at(-1)).toBe(2016);
  });

  it('starts over on clear and bumps the version on every change', () => {
    const history = new PhaseHistory(8);
    const v0 = history.version;
    history.push(sample(1));
    expect(history.version).toBe(v0 + 1);
    history.clear();
    expect(history.version).toBe(v0 + 2);
    expect(history.latest()).toBeNull();
    history.push(sample(5));
    expect(history.window(1e9).map((s) => s.atMs)).toEqual([5]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new PhaseHistory(0)).toThrow(/\[phase-history\] capacity/);
  });

  it('finds the sample of the frame on screen, telling the passes of a loop apart', () => {
    const history = new PhaseHistory(8);
    history.push(sample(10, { frameIndex: 3, producedAtMs: 1000, orderR: 0.1 }));
    history.push(sample(20, { frameIndex: 4, producedAtMs: 1016, orderR: 0.2 }));
    // The replay looped: frame 3 again, later.
    history.push(sample(30, { frameIndex: 3, producedAtMs: 2000, orderR: 0.3 }));
    expect(history.find(3)?.orderR).toBeCloseTo(0.3, 6);
    expect(history.find(3, 1000)?.orderR).toBeCloseTo(0.1, 6);
    expect(history.find(4, 1016)?.frameIndex).toBe(4);
    expect(history.find(5)).toBeNull();
    expect(history.all().map((s) => s.frameIndex)).toEqual([3, 4, 3]);
  });
});
