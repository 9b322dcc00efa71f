import { describe, expect, it } from 'vitest';
import { thinPoints } from './thin-points';

interface P {
  t: number;
  r: number;
  v: number;
}

const frames = (n: number, f: (i: number) => Omit<P, 't'>): P[] =>
  Array.from({ length: n }, (_, i) => ({ t: i / 60, ...f(i) }));

describe('thinPoints', () => {
  it('leaves a short series as it is', () => {
    const points = frames(50, (i) => ({ r: i, v: 0 }));
    expect(thinPoints(points, (p) => p.t, ['r', 'v'], 60)).toEqual(points);
  });

  it('keeps at most first, last, lowest and highest of each key per bucket, in order', () => {
    const points = frames(600, (i) => ({ r: Math.sin(i * 1.7) * 0.5 + 0.5, v: (i * 7919) % 13 }));
    const thin = thinPoints(points, (p) => p.t, ['r', 'v'], 60);
    expect(thin.length).toBeLessThanOrEqual(60 * 6);
    expect(thin.length).toBeLessThan(points.length);
    expect(thin[0]).toBe(points[0]);
    expect(thin.at(-1)).toBe(points.at(-1));
    for (let i = 1; i < thin.length; i++) expect(thin[i]!.t).toBeGreaterThan(thin[i - 1]!.t);
  });

  it('keeps a one-frame spike and every extreme of the window', () => {
    const points = frames(600, (i) => ({ r: 0.5 + (i % 2) * 0.01, v: i === 333 ? 40 : 2 }));
    points[471]!.r = 0.02;
    const thin = thinPoints(points, (p) => p.t, ['r', 'v'], 60);
    expect(thin).toContain(points[333]);
    expect(thin).toContain(points[471]);
    expect(Math.max(...thin.map((p) => p.v))).toBe(40);
    expect(Math.min(...thin.map((p) => p.r))).toBe(0.02);
  });

  it('thins a smooth series to a few points per bucket', () => {
    const points = frames(600, (i) => ({ r: i / 600, v: Math.floor(i / 100) }));
    const thin = thinPoints(points, (p) => p.t, ['r', 'v'], 60);
    // A rising line's first point is its lowest and its last its highest: two per bucket.
    expect(thin.length).toBeLessThanOrEqual(120);
    // Every step of the vortex count is still there.
    expect(new Set(thin.map((p) => p.v))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });
});
