// The page's frame pipeline, outside React: decoded frames come in from the stream worker, the
// render loop draws them, and the panels read what it keeps (the phase history, the pinned spin's
// phase, the HUD's figures). One per page, made with the app context (shell/app-context.ts).
import type { HudStats } from '../state/ui-store';
import { FrameStats } from './frame-stats';
import { FrameStore } from './frame-store';
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

  constructor(
    animation?: AnimationFrames,
    private readonly clock: () => number = () => performance.now(),
    /** Epoch time of the page clock's zero (performance.timeOrigin), ms. */
    private readonly clockOriginMs: number = performance.timeOrigin,
  ) {
    this.stats = new FrameStats(this.frames, clock);
    this.loop = new RenderLoop(this.frames, this.stats, animation);
  }

  /** A decoded frame from the stream worker (its phases now belong to the page). */
  accept(message: WorkerFrame): void {
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
    this.frames.push(frame);
    this.pinnedSpin.record(frame);
    this.phaseHistory.push({
      atMs: this.clock(),
      frameIndex: message.frameIndex,
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

  /** Follows one spin's phase from the newest frame on (null stops). */
  pin(spinIndex: number | null): void {
    this.pinnedSpin.pin(spinIndex, this.frames.latest);
  }

  hud(): HudStats {
    return this.stats.hud();
  }
}
