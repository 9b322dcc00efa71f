// The render loop with a scheduler stepped by hand and renderers that record what they are given
// (the real ones need a browser's canvas; e2e/spin-view.spec.ts and e2e/hidden-views.spec.ts run
// them in Chromium).
import { describe, expect, it } from 'vitest';
import type { FrameReadiness, FrameRenderer, HeatmapFrame, HeatmapView } from '../../render/types';
import { DEFAULT_DISPLAY } from '../state/display';
import { DRAWN_FRAMES_KEPT, FrameStats } from './frame-stats';
import { FrameStore, type StoredFrame } from './frame-store';
import { RenderLoop, type AnimationFrames } from './render-loop';

const frame = (frameIndex: number): StoredFrame => ({
  seq: frameIndex + 1,
  frameIndex,
  producedAtMs: 0,
  // A made-up CRC per frame: what the loop records of each frame it draws.
  crc: 0x1000 + frameIndex,
  producedAtPageMs: null,
  psiRad: 0,
  width: 4,
  height: 2,
  phases: new Uint16Array(8),
});

class RecordingRenderer implements FrameRenderer {
  readonly mode = 'gpu' as const;
  readonly drawn: { frameIndex: number; view: HeatmapView | undefined }[] = [];
  /** What beginFrame answers, one per animation frame; absent: no beginFrame at all. */
  constructor(private readonly readiness: FrameReadiness[] | null = null) {
    if (readiness === null) this.beginFrame = undefined;
  }
  beginFrame?: (nowMs: number) => FrameReadiness = () => this.readiness?.shift() ?? 'ready';
  draw(f: HeatmapFrame, view?: HeatmapView): void {
    this.drawn.push({ frameIndex: (f as StoredFrame).frameIndex, view });
  }
  drawnIndices(): number[] {
    return this.drawn.map((d) => d.frameIndex);
  }
  setColormap(): void {}
  resize(): void {}
  destroy(): void {}
}

function setup() {
  let callback: ((nowMs: number) => void) | null = null;
  const animation: AnimationFrames = {
    request: (cb) => {
      callback = cb;
      return 1;
    },
    cancel: () => {
      callback = null;
    },
  };
  let nowMs = 0;
  const frames = new FrameStore();
  const stats = new FrameStats(frames, () => nowMs);
  const loop = new RenderLoop(frames, stats, animation);
  loop.start();
  let next = 0;
  /** One animation frame, `arriving` new frames just before it. */
  const animationFrame = (arriving = 1): void => {
    for (let i = 0; i < arriving; i++) frames.push(frame(next++));
    nowMs += 1000 / 60;
    const run = callback;
    callback = null;
    run?.(nowMs);
  };
  /** The page clock: the time of the last animation frame, or moved on by hand (a hidden page). */
  const clock = {
    nowMs: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
  return { frames, stats, loop, animationFrame, clock };
}

describe('render loop', () => {
  it('draws each new frame on the visible heatmap and counts it rendered', () => {
    const { loop, stats, animationFrame } = setup();
    const heatmap = new RecordingRenderer();
    loop.attach('heatmap', heatmap);
    for (let i = 0; i < 5; i++) animationFrame();
    expect(heatmap.drawnIndices()).toEqual([0, 1, 2, 3, 4]);
    expect(stats.hud()).toMatchObject({ framesReceived: 5, framesRendered: 5, framesDropped: 0 });
  });

  it('keeps the index and CRC of the last frames drawn, oldest first, for window.phaseViz', () => {
    const { loop, stats, animationFrame } = setup();
    loop.attach('heatmap', new RecordingRenderer());
    expect(stats.hud().drawnFrames).toEqual([]);
    for (let i = 0; i < 3; i++) animationFrame();
    expect(stats.hud().drawnFrames).toEqual(
      [0, 1, 2].map((k) => ({ frameIndex: k, crc: 0x1000 + k })),
    );
    // Past the ring's size only the newest are kept, still oldest first.
    for (let i = 0; i < DRAWN_FRAMES_KEPT + 5; i++) animationFrame();
    const drawn = stats.hud().drawnFrames;
    expect(drawn).toHaveLength(DRAWN_FRAMES_KEPT);
    const last = DRAWN_FRAMES_KEPT + 7;
    expect(drawn.map((f) => f.frameIndex)).toEqual(
      Array.from({ length: DRAWN_FRAMES_KEPT }, (_, i) => last - DRAWN_FRAMES_KEPT + 1 + i),
    );
    expect(drawn.every((f) => f.crc === 0x1000 + f.frameIndex)).toBe(true);
  });

  it('leaves the heatmap alone under the 3-D view and redraws it at once on the way back', () => {
    const { loop, stats, animationFrame } = setup();
    const heatmap = new RecordingRenderer();
    const spins = new RecordingRenderer();
    loop.attach('heatmap', heatmap);
    loop.attach('3d', spins);
    animationFrame();
    loop.show('3d');
    animationFrame();
    animationFrame();
    expect(heatmap.drawnIndices()).toEqual([0]);
    // The 3-D view shows the frame on screen at once, then each new one.
    expect(spins.drawnIndices()).toEqual([1, 2]);
    loop.show('heatmap');
    animationFrame(0);
    expect(heatmap.drawnIndices()).toEqual([0, 2]);
    expect(spins.drawnIndices()).toEqual([1, 2]);
    expect(stats.hud()).toMatchObject({ framesRendered: 3, framesDropped: 0 });
  });

  it('draws nothing in the tickets view, without counting the frames as dropped', () => {
    const { loop, stats, animationFrame } = setup();
    const heatmap = new RecordingRenderer();
    loop.attach('heatmap', heatmap);
    animationFrame();
    loop.show(null);
    // Bursts too (a busy page runs fewer animation frames than frames arrive).
    for (let i = 0; i < 10; i++) animationFrame(3);
    expect(heatmap.drawnIndices()).toEqual([0]);
    expect(stats.hud()).toMatchObject({ framesReceived: 31, framesRendered: 1, framesDropped: 0 });
    // Back on the heatmap: the newest frame at once.
    loop.show('heatmap');
    animationFrame(0);
    expect(heatmap.drawnIndices()).toEqual([0, 30]);
  });

  it('keeps frames waiting while a renderer paces its draws, dropping the oldest past two', () => {
    const { loop, stats, animationFrame } = setup();
    const paced = new RecordingRenderer(['ready', 'wait', 'wait', 'wait', 'ready']);
    loop.show('3d');
    loop.attach('3d', paced);
    for (let i = 0; i < 5; i++) animationFrame();
    // Frames 1-4 arrived while it waited: 1 and 2 were pushed out, 3 is drawn (one behind).
    expect(paced.drawnIndices()).toEqual([0, 3]);
    expect(stats.hud()).toMatchObject({ framesRendered: 2, framesDropped: 2 });
  });

  it('draws the frame on screen again when the renderer asks, not counted as fresh', () => {
    const { loop, stats, frames, animationFrame } = setup();
    const spins = new RecordingRenderer(['ready', 'ready', 'redraw']);
    loop.show('3d');
    loop.attach('3d', spins);
    animationFrame();
    animationFrame(0);
    animationFrame(0);
    expect(spins.drawnIndices()).toEqual([0, 0]);
    expect(stats.hud().framesRendered).toBe(1);
    expect(frames.shown?.frameIndex).toBe(0);
  });

  it('redraws with the new window when zoom, pan or relative mode change', () => {
    const { loop, animationFrame } = setup();
    const heatmap = new RecordingRenderer();
    loop.attach('heatmap', heatmap);
    animationFrame();
    loop.setDisplay({ ...DEFAULT_DISPLAY, zoom: 2 });
    animationFrame(0);
    expect(heatmap.drawnIndices()).toEqual([0, 0]);
    expect(heatmap.drawn[1]!.view).toMatchObject({ spanXCells: 2, spanYCells: 1 });
  });

  it('stops drawing with a renderer once it is detached, and counts animation frames', () => {
    const { loop, stats, animationFrame } = setup();
    const heatmap = new RecordingRenderer();
    const detach = loop.attach('heatmap', heatmap);
    animationFrame();
    detach();
    animationFrame();
    expect(heatmap.drawnIndices()).toEqual([0]);
    expect(stats.hud().fps).toBe(2);
    loop.stop();
    animationFrame();
    expect(stats.hud().fps).toBe(2);
  });
});

describe('produced-to-pixels latency', () => {
  const produced = (frameIndex: number, producedAtPageMs: number | null): StoredFrame => ({
    ...frame(frameIndex),
    producedAtPageMs,
  });

  it('runs from production to the animation frame after the draw, when the frame is presented', () => {
    const { loop, stats, frames, animationFrame, clock } = setup();
    loop.attach('heatmap', new RecordingRenderer());
    frames.push(produced(0, clock.nowMs() - 4));
    animationFrame(0); // drawn here
    expect(stats.hud().producedToPixelsMsP95).toBeNull();
    animationFrame(0); // presented here: 4 ms before the first frame, two frames of 1000/60 ms
    expect(stats.hud().producedToPixelsMsP95).toBeCloseTo(4 + 2000 / 60, 6);
  });

  it('counts only fresh frames whose production moment is known', () => {
    const { loop, stats, frames, animationFrame, clock } = setup();
    const spins = new RecordingRenderer(['ready', 'ready', 'ready', 'redraw', 'ready']);
    loop.show('3d');
    loop.attach('3d', spins);
    frames.push(produced(0, null)); // before the first pong: unknown
    animationFrame(0);
    animationFrame(0);
    expect(stats.hud().producedToPixelsMsP95).toBeNull();
    frames.push(produced(1, clock.nowMs()));
    animationFrame(0); // frame 1 drawn
    animationFrame(0); // presented; the renderer redraws it (the camera moved, say)
    animationFrame(0); // a redraw is not a new presentation: this would count 3 frames of latency
    expect(spins.drawnIndices()).toEqual([0, 1, 1]);
    expect(stats.hud().producedToPixelsMsP95).toBeCloseTo(2000 / 60, 6);
  });

  it('leaves out a frame presented after the page was hidden', () => {
    const { loop, stats, frames, animationFrame, clock } = setup();
    loop.attach('heatmap', new RecordingRenderer());
    frames.push(produced(0, clock.nowMs()));
    animationFrame(0);
    clock.advance(5000); // hidden: no animation frames for five seconds
    animationFrame(0);
    expect(stats.hud().producedToPixelsMsP95).toBeNull();
  });
});
