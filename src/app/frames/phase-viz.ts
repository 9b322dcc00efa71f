// window.phaseViz: the read-only snapshot that tests and embedding hosts read (README.md, "App URL
// parameters"). Made afresh and frozen on each read, so nobody outside can change the app's state.
import type { RenderMode } from '../../render/types';
import type { GpuThresholdSource } from '../state/gpu-threshold';
import type { DrawnFrame, HudStats, UiState } from '../state/ui-store';
import { streamStateOf, type StreamStateName } from './stream-state';

export interface PhaseVizSnapshot {
  /** The heatmap's renderer, whichever view shows. */
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
  /** Produced on the server to decoded in the worker, p95, ms; null until the clock offset is known. */
  producedToDecodedMsP95: number | null;
  /** Produced on the server to presented on screen (the animation frame after the draw), p95, ms. */
  producedToPixelsMsP95: number | null;
  tenant: string | null;
  connected: boolean;
  /** The one stream state the page shows (frames/stream-state.ts). */
  streamState: StreamStateName;
  /** `fi` of the frame on screen, the one the panels show; -1 before the first. */
  frameOnScreen: number;
  /** Spins below which the heatmap draws on the CPU canvas, and whose setting that is. */
  gpuThreshold: number;
  gpuThresholdSource: GpuThresholdSource;
  /** GPU memory of the heatmap's textures (phases and colormap), bytes; 0 on the CPU canvas. */
  heatmapTextureBytes: number;
  /** The last 32 frames the visible view drew, oldest first: index and CRC-32 of the phases. */
  drawnFrames: readonly DrawnFrame[];
}

export function phaseVizSnapshot(state: UiState, hud: HudStats): PhaseVizSnapshot {
  const width = state.stream?.width ?? 0;
  const height = state.stream?.height ?? 0;
  return {
    renderMode: state.renderMode,
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
    producedToDecodedMsP95: hud.latencyMsP95,
    producedToPixelsMsP95: hud.producedToPixelsMsP95,
    tenant: state.stream?.tenant ?? null,
    connected: state.connection.state === 'open',
    streamState: streamStateOf({ ...state, hud }).state,
    frameOnScreen: hud.frameOnScreen,
    gpuThreshold: state.gpuThreshold.spins,
    gpuThresholdSource: state.gpuThreshold.source,
    heatmapTextureBytes: hud.heatmapTextureBytes,
    drawnFrames: hud.drawnFrames,
  };
}

export function installPhaseViz(snapshot: () => PhaseVizSnapshot): void {
  Object.defineProperty(window, 'phaseViz', {
    configurable: true,
    get: () => Object.freeze(snapshot()),
  });
}
