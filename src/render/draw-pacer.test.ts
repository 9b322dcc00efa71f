import { describe, expect, it } from 'vitest';
import { DrawPacer } from './draw-pacer';

describe('DrawPacer', () => {
  it('lets every animation frame draw while draws are cheap', () => {
    const pacer = new DrawPacer({ maxDuty: 0.5 });
    for (let frame = 0; frame < 10; frame++) {
      const nowMs = frame * 16.7;
      expect(pacer.ready(nowMs), `frame ${frame}`).toBe(true);
      pacer.started(nowMs);
      pacer.finished(3);
    }
    expect(pacer.minIntervalMs).toBeCloseTo(6, 5);
  });

  it('spaces slow draws so that drawing takes at most maxDuty of the time', () => {
    const pacer = new DrawPacer({ maxDuty: 0.5, smoothing: 1 });
    let draws = 0;
    for (let nowMs = 0; nowMs < 10_000; nowMs += 16.7) {
      if (!pacer.ready(nowMs)) continue;
      pacer.started(nowMs);
      pacer.finished(100);
      draws += 1;
    }
    // 100 ms per draw at half the time: one draw per 200 ms (plus rounding to whole frames).
    expect(draws).toBeGreaterThanOrEqual(45);
    expect(draws).toBeLessThanOrEqual(50);
  });

  it('holds no draw back while the cost stays at or under paceAboveMs, and paces past it', () => {
    const pacer = new DrawPacer({ maxDuty: 0.5, smoothing: 1, paceAboveMs: 50 });
    pacer.started(0);
    pacer.finished(50);
    expect(pacer.minIntervalMs).toBe(0);
    expect(pacer.ready(16.7)).toBe(true);
    pacer.finished(60);
    expect(pacer.minIntervalMs).toBe(120);
    expect(pacer.ready(119)).toBe(false);
    expect(pacer.ready(120)).toBe(true);
  });

  it('never waits longer than maxIntervalMs, however slow a draw', () => {
    const pacer = new DrawPacer({ maxIntervalMs: 1000, smoothing: 1 });
    pacer.started(0);
    pacer.finished(60_000);
    expect(pacer.ready(999)).toBe(false);
    expect(pacer.ready(1000)).toBe(true);
  });

  it('follows the cost back down once draws get cheap again', () => {
    const pacer = new DrawPacer({ smoothing: 0.5 });
    pacer.finished(200);
    for (let i = 0; i < 20; i++) pacer.finished(2);
    expect(pacer.drawCostMs).toBeLessThan(3);
  });

  it.each([
    { name: 'a negative cost', cost: -5 },
    { name: 'NaN', cost: Number.NaN },
    { name: 'infinity', cost: Number.POSITIVE_INFINITY },
  ])('treats $name as free rather than stalling', ({ cost }) => {
    const pacer = new DrawPacer();
    pacer.started(0);
    pacer.finished(cost);
    expect(pacer.drawCostMs).toBe(0);
    expect(pacer.ready(1)).toBe(true);
  });
});
