// The one requestAnimationFrame loop: draws the next waiting frame when there is one (mark dirty,
// draw once; see frame-store.ts for why the next and not the newest), keeps the frame-time
// statistics, and publishes a few-times-a-second HUD snapshot.
import { RollingWindow } from '../../core/stats';
import type { HeatmapRenderer, RenderMode } from '../../render/types';
import type { StreamInfo } from '../../core/wire/envelope';
import { FrameStore, type StoredFrame } from './frame-store';
import { DEFAULT_DISPLAY, viewWindow, type Display } from './view';

/** Phase of the pinned spin over recent frames. */
export interface PinnedSample {
  frameIndex: number;
  phaseRad: number;
}

const PINNED_HISTORY = 600;
import type { HudStats } from '../state/ui-store';

export interface PhaseVizSnapshot {
  renderMode: RenderMode;
  spins: number;
  width: number;
  height: number;
  frameIndex: number;
  framesReceived: number;
  framesRendered: number;
  framesDropped: number;
  fps: number;
  frameTimeP95Ms: number;
  decodeMsP95: number;
  tenant: string | null;
  connected: boolean;
}

export class VizController {
  readonly frames = new FrameStore();
  private renderer: HeatmapRenderer | null = null;
  private renderMode: RenderMode = 'gpu';
  private stream: StreamInfo | null = null;
  private connected = false;
  private framesRendered = 0;
  private lastTickMs = 0;
  private readonly tickTimesMs = new RollingWindow(120);
  private readonly frameTimesMs = new RollingWindow(240);
  private readonly decodeMs = new RollingWindow(240);
  private readonly latencyMs = new RollingWindow(240);
  private readonly wireBytes = new RollingWindow(120);
  private readonly wireTimesMs = new RollingWindow(120);
  private rafHandle = 0;
  private lastFrameAtMs: number | null = null;
  private running = false;
  private display: Display = DEFAULT_DISPLAY;
  private pinnedIndex: number | null = null;
  private pinned: PinnedSample[] = [];

  start(): void {
    if (this.running) return;
    this.running = true;
    this.rafHandle = requestAnimationFrame(this.tick);
  }

  stop(): void {
    this.running = false;
    cancelAnimationFrame(this.rafHandle);
  }

  setRenderer(renderer: HeatmapRenderer | null): void {
    this.renderer = renderer;
    if (renderer) {
      this.renderMode = renderer.mode;
      // A new renderer starts blank: draw the frame on screen on the next tick even if not new.
      this.frames.requestRedraw();
    }
  }

  setStream(stream: StreamInfo | null): void {
    this.stream = stream;
  }

  /** Zoom, pan and relative mode: redrawn on the next animation frame. */
  setDisplay(display: Display): void {
    this.display = display;
    this.frames.requestRedraw();
  }

  /** Follows one spin's phase from now on (null stops). */
  pin(spinIndex: number | null): void {
    this.pinnedIndex = spinIndex;
    this.pinned = [];
    const frame = this.frames.latest;
    if (frame && spinIndex !== null && spinIndex < frame.phases.length) this.recordPinned(frame);
  }

  pinnedHistory(): readonly PinnedSample[] {
    return this.pinned;
  }

  private recordPinned(frame: StoredFrame): void {
    const q = frame.phases[this.pinnedIndex!];
    if (q === undefined) return;
    this.pinned.push({ frameIndex: frame.frameIndex, phaseRad: (q * 2 * Math.PI) / 65536 });
    if (this.pinned.length > PINNED_HISTORY)
      this.pinned.splice(0, this.pinned.length - PINNED_HISTORY);
  }

  setConnected(connected: boolean): void {
    // Frames are due from the moment the stream opens: a stream that never sends one stalls too.
    if (connected && !this.connected) this.lastFrameAtMs = performance.now();
    this.connected = connected;
  }

  acceptFrame(
    frame: StoredFrame,
    decodeMs: number,
    wireBytes: number,
    latencyMs: number | null = null,
  ): void {
    if (latencyMs !== null) this.latencyMs.push(latencyMs);
    this.frames.push(frame);
    if (this.pinnedIndex !== null) this.recordPinned(frame);
    this.decodeMs.push(decodeMs);
    this.wireBytes.push(wireBytes);
    this.wireTimesMs.push(performance.now());
    this.lastFrameAtMs = performance.now();
  }

  private readonly tick = (nowMs: number): void => {
    if (!this.running) return;
    this.rafHandle = requestAnimationFrame(this.tick);
    if (this.lastTickMs > 0) this.frameTimesMs.push(nowMs - this.lastTickMs);
    this.lastTickMs = nowMs;
    this.tickTimesMs.push(nowMs);
    if (!this.renderer) return;
    const next = this.frames.takeForDraw();
    if (next) {
      const { frame } = next;
      this.renderer.draw(frame, viewWindow(frame.width, frame.height, this.display, frame.psiRad));
      if (next.fresh) this.framesRendered += 1;
    }
  };

  /** Animation frames in the last second (the page's frame rate). */
  private fps(): number {
    const times = this.tickTimesMs.values();
    if (times.length < 2) return 0;
    const nowMs = performance.now();
    let count = 0;
    for (const t of times) if (nowMs - t <= 1000) count += 1;
    return count;
  }

  private bytesPerSecond(): number {
    const times = this.wireTimesMs.values();
    const bytes = this.wireBytes.values();
    const nowMs = performance.now();
    let total = 0;
    for (let i = 0; i < times.length; i++) if (nowMs - times[i]! <= 1000) total += bytes[i]!;
    return total;
  }

  hud(): HudStats {
    return {
      fps: this.fps(),
      frameTimeP50Ms: this.frameTimesMs.percentile(0.5),
      frameTimeP95Ms: this.frameTimesMs.percentile(0.95),
      framesReceived: this.frames.received,
      framesRendered: this.framesRendered,
      framesDropped: this.frames.dropped,
      decodeMsP95: this.decodeMs.percentile(0.95),
      latencyMsP95: this.latencyMs.size > 0 ? this.latencyMs.percentile(0.95) : null,
      frameIndex: this.frames.latest?.frameIndex ?? -1,
      bytesPerSecond: this.bytesPerSecond(),
      lastFrameAgeMs: this.lastFrameAtMs === null ? null : performance.now() - this.lastFrameAtMs,
    };
  }

  snapshot(): PhaseVizSnapshot {
    const hud = this.hud();
    const width = this.stream?.width ?? 0;
    const height = this.stream?.height ?? 0;
    return {
      renderMode: this.renderMode,
      spins: width * height,
      width,
      height,
      frameIndex: hud.frameIndex,
      framesReceived: hud.framesReceived,
      framesRendered: hud.framesRendered,
      framesDropped: hud.framesDropped,
      fps: hud.fps,
      frameTimeP95Ms: hud.frameTimeP95Ms,
      decodeMsP95: hud.decodeMsP95,
      tenant: this.stream?.tenant ?? null,
      connected: this.connected,
    };
  }
}

/** window.phaseViz: a frozen snapshot made on each read, so hosts and tests cannot change state. */
export function installPhaseViz(controller: VizController): void {
  Object.defineProperty(window, 'phaseViz', {
    configurable: true,
    get: () => Object.freeze(controller.snapshot()),
  });
}
