import { describe, expect, it } from 'vitest';
import { FrameStats, MAX_PRESENT_DELAY_MS } from './frame-stats';
import { FrameStore } from './frame-store';

function setup() {
  const clock = { nowMs: 10_000 };
  const frames = new FrameStore();
  return { clock, frames, stats: new FrameStats(frames, () => clock.nowMs) };
}

describe('frame statistics', () => {
  it('times the last frame from the stream opening, so a stream that never sends one stalls', () => {
    const { clock, stats } = setup();
    expect(stats.hud().lastFrameAgeMs).toBeNull();
    stats.setConnected(true);
    clock.nowMs += 1500;
    expect(stats.hud().lastFrameAgeMs).toBe(1500);
    stats.arrived(0.3, 2000, null);
    clock.nowMs += 20;
    expect(stats.hud().lastFrameAgeMs).toBe(20);
    // Staying open is not a new opening.
    stats.setConnected(true);
    expect(stats.hud().lastFrameAgeMs).toBe(20);
  });

  it('sums the wire bytes of the last second and keeps latency unknown until measured', () => {
    const { clock, stats } = setup();
    stats.arrived(0.2, 1000, null);
    clock.nowMs += 600;
    stats.arrived(0.4, 3000, null);
    expect(stats.hud()).toMatchObject({ bytesPerSecond: 4000, latencyMsP95: null });
    clock.nowMs += 600;
    stats.arrived(0.4, 500, 2.5);
    expect(stats.hud()).toMatchObject({ bytesPerSecond: 3500, latencyMsP95: 2.5 });
  });

  it('counts the animation frames of the last second and their intervals', () => {
    const { clock, stats } = setup();
    for (let i = 0; i < 90; i++) stats.animationFrame((clock.nowMs += 20));
    clock.nowMs += 10;
    const hud = stats.hud();
    expect(hud.fps).toBe(50);
    expect(hud.frameTimeP50Ms).toBeCloseTo(20, 6);
    expect(hud.frameTimeP95Ms).toBeCloseTo(20, 6);
  });
});

describe('produced-to-pixels latency', () => {
  it('is the p95 of production to presentation over the frames presented', () => {
    const { stats } = setup();
    expect(stats.hud().producedToPixelsMsP95).toBeNull();
    for (let i = 0; i < 20; i++) stats.presented(1000, 1010, 1020 + i);
    // 20 to 39 ms: the 19th of 20 in order.
    expect(stats.hud().producedToPixelsMsP95).toBe(38);
  });

  it('counts no frame without a production moment or presented after the page was hidden', () => {
    const { stats } = setup();
    stats.presented(null, 1010, 1027);
    stats.presented(1000, 1010, 1010 + MAX_PRESENT_DELAY_MS + 1);
    expect(stats.hud().producedToPixelsMsP95).toBeNull();
    stats.presented(1000, 1010, 1010 + MAX_PRESENT_DELAY_MS);
    expect(stats.hud().producedToPixelsMsP95).toBe(10 + MAX_PRESENT_DELAY_MS);
  });
});
