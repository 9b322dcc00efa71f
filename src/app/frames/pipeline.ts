// The page's frame pipeline, outside React: decoded frames come in from the stream worker, the
// render loop draws them, and the panels read what it keeps (the phase history, the pinned spin's
// phase, the HUD's figures). One per page, made with the app context (shell/app-context.ts).
import type { HudStats } from '../state/ui-store';
import { FrameStats } from './frame-stats';
import { FrameStore, type ReleaseFrame, type StoredFrame } from './frame-store';
import { PhaseHistory } from './phase-history';
import { PinnedSpin } from './pinned-spin';
import { RenderLoop, type AnimationFrames } from './render-loop';
import type { WorkerFrame } from './worker-messages';

export class FramePipeline {
  readonly frames = new FrameStore();
  readonly phaseHistory = new PhaseHistory();
  readonly pinnedSpin = new PinnedSpin();
  readonly stats: FrameStats;
  readonly loop: RenderLoop;
  /** Wall clock of the last frame's arrival, for "not current since ..."; null before the first. */
  private lastFrameWallMs: number | null = null;
  /**
   * The frame on screen when the figures were last read (hud()): the panels, the replay bar and the
   * hover readout all show this one, so one screen shows one frame number. A holder of its frame:
   * the frame store releases no frame the cursor is on.
   */
  private cursorFrame: StoredFrame | null = null;
  /**
   * The last frame of the stream's head (the shared replay every follower sees), and when it was
   * produced: where the head was at any moment of the last pass of a looping recording, which is
   * where the replay timeline marks a ticket. Null until a frame came while following the head.
   */
  headAnchor: { frameIndex: number; producedAtMs: number } | null = null;

  constructor(
    animation?: AnimationFrames,
    private readonly clock: () => number = () => performance.now(),
    /** Epoch time of the page clock's zero (performance.timeOrigin), ms. */
    private readonly clockOriginMs: number = performance.timeOrigin,
  ) {
    this.stats = new FrameStats(this.frames, clock);
    this.loop = new RenderLoop(this.frames, this.stats, animation);
  }

  get cursor(): StoredFrame | null {
    return this.cursorFrame;
  }

  /**
   * Where frames' phase buffers go once nothing on the page reads them (the stream worker, to
   * decode later frames into); null keeps them (no worker to take them).
   */
  recycleInto(release: ReleaseFrame | null): void {
    this.frames.setRelease(release, (frame) => frame === this.cursorFrame);
  }

  private moveCursor(frame: StoredFrame | null): void {
    if (frame === this.cursorFrame) return;
    this.cursorFrame = frame;
    this.frames.sweep();
  }

  /**
   * A decoded frame from the stream worker (its phases now belong to the page, until the frame
   * store releases them); `ofHead` when the
   * page follows the stream's head, so the frame is the head's.
   */
  accept(message: WorkerFrame, ofHead = false): void {
    if (ofHead) {
      this.headAnchor = { frameIndex: message.frameIndex, producedAtMs: message.producedAtMs };
    }
    const frame = {
      seq: message.seq,
      frameIndex: message.frameIndex,
      width: message.width,
      height: message.height,
      phases: message.phases,
      producedAtMs: message.producedAtMs,
      crc: message.crc,
      // The worker's decode moment less its produced-to-decoded latency: the production moment on
      // the worker's epoch clock (the page's too), offset-corrected; then on the page's clock.
      producedAtPageMs:
        message.latencyMs === null
          ? null
          : message.decodedAtMs - message.latencyMs - this.clockOriginMs,
      psiRad: message.psiRad,
    };
    this.stats.arrived(message.decodeMs, message.wireBytes, message.latencyMs);
    this.lastFrameWallMs = message.decodedAtMs;
    this.frames.push(frame);
    this.pinnedSpin.record(frame);
    this.phaseHistory.push({
      atMs: this.clock(),
      frameIndex: message.frameIndex,
      producedAtMs: message.producedAtMs,
      orderR: message.orderR,
      psiRad: message.psiRad,
      vortices: message.vortices,
    });
  }

  /**
   * The server said hello: a new stream starts. Its metrics must not join the old one's; on
   * another lattice (tenant or size) the old frames mean nothing either.
   */
  streamStarted(otherLattice: boolean): void {
    this.phaseHistory.clear();
    if (otherLattice) this.frames.clear();
  }

  /**
   * Another tenant, or the right to see this one ended: nothing of the old stream stays, neither
   * its frames (the heatmap draws no stale private pixel) nor its counts and metrics.
   */
  reset(): void {
    this.frames.clear();
    this.frames.resetCounts();
    this.phaseHistory.clear();
    this.pinnedSpin.pin(null, null);
    this.stats.reset();
    this.lastFrameWallMs = null;
    this.moveCursor(null);
    this.headAnchor = null;
  }

  /** Follows one spin's phase from the newest frame on (null stops). */
  pin(spinIndex: number | null): void {
    this.pinnedSpin.pin(spinIndex, this.frames.latest);
  }

  hud(): HudStats {
    this.moveCursor(this.frames.shown ?? this.frames.latest);
    return {
      ...this.stats.hud(),
      lastFrameWallMs: this.lastFrameWallMs,
      frameOnScreen: this.cursor?.frameIndex ?? -1,
      frameOnScreenProducedAtMs: this.cursor?.producedAtMs ?? null,
      heatmapTextureBytes: this.loop.gpuBytes('heatmap'),
    };
  }
}
