import { describe, expect, it } from 'vitest';
import { FrameStore, MAX_WAITING, type StoredFrame } from './frame-store';

const frame = (frameIndex: number): StoredFrame => ({
  seq: frameIndex + 1,
  frameIndex,
  producedAtMs: frameIndex * 16.7,
  crc: frameIndex,
  producedAtPageMs: null,
  psiRad: 0,
  width: 2,
  height: 1,
  phases: new Uint16Array([frameIndex, frameIndex]),
});

/** Runs animation frames: `arrivals[k]` frames arrive before the k-th; returns what was drawn. */
function play(store: FrameStore, arrivals: number[]): (number | null)[] {
  let next = 0;
  return arrivals.map((count) => {
    for (let i = 0; i < count; i++) store.push(frame(next++));
    const drawn = store.takeForDraw();
    return drawn?.fresh ? drawn.frame.frameIndex : null;
  });
}

describe('frame store', () => {
  it('draws every frame when arrivals jitter around the display interval (two, then none)', () => {
    const store = new FrameStore();
    const drawn = play(store, [1, 2, 0, 1, 2, 0, 2, 0, 1]);
    expect(drawn).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(store.dropped).toBe(0);
    expect(store.received).toBe(9);
  });

  it('drops the oldest when more than MAX_WAITING frames wait, so the screen lags at most one', () => {
    const store = new FrameStore();
    expect(MAX_WAITING).toBe(2);
    // A stream twice as fast as the display.
    const drawn = play(store, [2, 2, 2, 2]);
    expect(drawn).toEqual([0, 2, 4, 6]);
    expect(store.dropped).toBe(3);
    expect(store.shown?.frameIndex).toBe(6);
    expect(store.latest?.frameIndex).toBe(7);
  });

  it('draws the frame on screen again when asked, not counted as fresh', () => {
    const store = new FrameStore();
    expect(store.takeForDraw()).toBeNull();
    store.push(frame(0));
    expect(store.takeForDraw()).toMatchObject({ fresh: true });
    expect(store.takeForDraw()).toBeNull();
    store.requestRedraw();
    expect(store.takeForDraw()).toMatchObject({ fresh: false, frame: { frameIndex: 0 } });
    expect(store.takeForDraw()).toBeNull();
  });

  it('queues no frames while no view draws them, so none counts as drawn or dropped', () => {
    const store = new FrameStore();
    expect(play(store, [1])).toEqual([0]);
    store.push(frame(1));
    store.setDrawing(false);
    for (let i = 2; i <= 6; i++) store.push(frame(i));
    expect(store.dropped).toBe(0);
    expect(store.received).toBe(7);
    expect(store.shown).toBeNull();
    expect(store.takeForDraw()).toBeNull();
    // Drawn again: the newest frame at once, then the frames that arrive.
    store.setDrawing(true);
    store.requestRedraw();
    expect(store.takeForDraw()).toMatchObject({ fresh: false, frame: { frameIndex: 6 } });
    store.push(frame(7));
    expect(store.takeForDraw()).toMatchObject({ fresh: true, frame: { frameIndex: 7 } });
  });

  it('forgets everything on clear', () => {
    const store = new FrameStore();
    store.push(frame(0));
    store.push(frame(1));
    store.clear();
    store.requestRedraw();
    expect(store.takeForDraw()).toBeNull();
    expect(store.latest).toBeNull();
    expect(store.recent()).toEqual([]);
  });
});
