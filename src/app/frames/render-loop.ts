// The page's one requestAnimationFrame loop. On each animation frame it lets the visible view's
// renderer draw the next waiting frame (mark dirty, draw once; see frame-store.ts for why the next
// and not the newest) and records the frame times. Only the visible view draws: the heatmap kept
// mounted under the 3-D view uploads and draws nothing, and in the tickets view nothing draws.
//
// A frame drawn in one animation frame reaches the screen with the next: the browser composites
// what the callbacks drew after they return, and the next animation frame starts when that
// picture is presented. So the loop takes the next animation frame's time as the moment the frame
// drawn before it was presented, the end of its produced-to-pixels latency.
import type { FrameRenderer } from '../../render/types';
import { DEFAULT_DISPLAY, viewWindow, type Display } from '../state/display';
import type { LatticeView } from '../state/params';
import type { FrameStats } from './frame-stats';
import type { FrameStore, StoredFrame } from './frame-store';

/** The browser's animation-frame scheduler; tests pass one they step by hand. */
export interface AnimationFrames {
  request(callback: (nowMs: number) => void): number;
  cancel(handle: number): void;
}

const BROWSER_ANIMATION_FRAMES: AnimationFrames = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export class RenderLoop {
  private readonly renderers = new Map<LatticeView, FrameRenderer>();
  private visible: LatticeView | null = 'heatmap';
  private display: Display = DEFAULT_DISPLAY;
  private running = false;
  private handle = 0;
  /** The fresh frame drawn in the last animation frame, presented at the start of the next. */
  private drawn: { frame: StoredFrame; atMs: number } | null = null;

  constructor(
    private readonly frames: FrameStore,
    private readonly stats: FrameStats,
    private readonly animation: AnimationFrames = BROWSER_ANIMATION_FRAMES,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.handle = this.animation.request(this.tick);
  }

  stop(): void {
    this.running = false;
    this.drawn = null;
    this.animation.cancel(this.handle);
  }

  /** The renderer that draws `view` while it is visible; returns the function that detaches it. */
  attach(view: LatticeView, renderer: FrameRenderer): () => void {
    this.renderers.set(view, renderer);
    this.followVisibleRenderer();
    // A new renderer starts blank: draw the frame on screen on the next tick even if not new.
    if (view === this.visible) this.frames.requestRedraw();
    return () => {
      if (this.renderers.get(view) !== renderer) return;
      this.renderers.delete(view);
      this.followVisibleRenderer();
    };
  }

  /** Which view is on screen; null when none draws the lattice (the tickets view). */
  show(view: LatticeView | null): void {
    if (view === this.visible) return;
    this.visible = view;
    this.followVisibleRenderer();
    // The view coming back shows the current frame at once, not at the next frame to arrive.
    this.frames.requestRedraw();
  }

  /** Frames queue for drawing only while the visible view has a renderer to draw them. */
  private followVisibleRenderer(): void {
    this.frames.setDrawing(this.visible !== null && this.renderers.has(this.visible));
  }

  /** GPU texture bytes the renderer of `view` holds now; 0 without one or on the CPU. */
  gpuBytes(view: LatticeView): number {
    return this.renderers.get(view)?.gpuBytes?.() ?? 0;
  }

  /** Zoom, pan and relative mode: redrawn on the next animation frame. */
  setDisplay(display: Display): void {
    this.display = display;
    this.frames.requestRedraw();
  }

  private readonly tick = (nowMs: number): void => {
    if (!this.running) return;
    this.handle = this.animation.request(this.tick);
    this.stats.animationFrame(nowMs);
    if (this.drawn) {
      this.stats.presented(this.drawn.frame.producedAtPageMs, this.drawn.atMs, nowMs);
      this.drawn = null;
    }
    const renderer = this.visible === null ? undefined : this.renderers.get(this.visible);
    if (!renderer) return;
    const readiness = renderer.beginFrame?.(nowMs) ?? 'ready';
    if (readiness === 'wait') return;
    if (readiness === 'redraw') this.frames.requestRedraw();
    const next = this.frames.takeForDraw();
    if (!next) return;
    const { frame } = next;
    renderer.draw(frame, viewWindow(frame.width, frame.height, this.display, frame.psiRad));
    if (next.fresh) {
      this.stats.rendered(frame);
      this.drawn = { frame, atMs: nowMs };
    }
  };
}
