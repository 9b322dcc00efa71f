// UI state (zustand, framework-free store bound to React with a hook in shell/hooks.ts). Per-frame
// data never goes here: the render loop reads the frame store directly; this store changes a few
// times a second.
import { createStore } from 'zustand/vanilla';
import type { PlaybackMessage, StreamInfo } from '../../core/wire/envelope';
import type { RenderMode } from '../../render/types';
import { DEFAULT_DISPLAY, type Display } from './display';
import type { PanelLayout } from './panel-layout';
import { DEFAULT_GPU_THRESHOLD, type AppParams, type ParamNotice } from './params';
import type { GpuThreshold } from './gpu-threshold';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';
/**
 * Why the server refused the stream, when it did: 401 (no or a bad token), 403 (the token does not
 * grant the tenant) or 404 (no such tenant). These need a person, so the page stops retrying.
 */
export type Refusal = 'unauthorized' | 'forbidden' | 'not-found';

export interface HudStats {
  fps: number;
  frameTimeP50Ms: number;
  frameTimeP95Ms: number;
  framesReceived: number;
  framesRendered: number;
  framesDropped: number;
  decodeMsP95: number;
  /** Produced on the server to decoded here, p95 over recent frames; null until measured. */
  latencyMsP95: number | null;
  /**
   * Produced on the server to presented on screen here (the animation frame after the frame's
   * draw), p95 over recent frames drawn; null until measured.
   */
  producedToPixelsMsP95: number | null;
  frameIndex: number;
  bytesPerSecond: number;
  /** Milliseconds since the last frame arrived; null before the first. */
  lastFrameAgeMs: number | null;
  /** Wall clock (ms since the epoch) when the last frame arrived; null before the first. */
  lastFrameWallMs: number | null;
  /**
   * `fi` of the frame on screen (-1 before the first): the one frame number every panel, the
   * replay bar and the hover readout show, read at the same moment as the rest of these figures.
   */
  frameOnScreen: number;
  /** producedAtMs (server wall clock) of the frame on screen; null before the first. */
  frameOnScreenProducedAtMs: number | null;
  /** GPU memory the heatmap's textures take (phases and colormap), bytes; 0 on the CPU canvas. */
  heatmapTextureBytes: number;
  /** The last frames the visible view drew, oldest first. */
  drawnFrames: DrawnFrame[];
}

/** A frame drawn: its index and the CRC-32 of its phases (two pages compare what they drew). */
export interface DrawnFrame {
  frameIndex: number;
  crc: number;
}

export interface UiState {
  params: AppParams;
  notices: ParamNotice[];
  connection: {
    state: ConnectionState;
    attempt: number;
    retryInMs: number | null;
    reason: string | null;
    refusal: Refusal | null;
    /** Wall clock (ms since the epoch) when the connection entered this state. */
    sinceMs: number;
  };
  stream: StreamInfo | null;
  /** This client's replay state as the server last confirmed it; null while following the head. */
  playback: Omit<PlaybackMessage, 't'> | null;
  webglAvailable: boolean;
  contextLost: boolean;
  /** The heatmap's renderer (the 3-D view is always WebGL). */
  renderMode: RenderMode;
  renderReason: string;
  /** The GPU threshold the heatmap's renderer was chosen by, and where it came from. */
  gpuThreshold: GpuThreshold;
  lastFault: string | null;
  hud: HudStats;
  /** Heatmap zoom, pan and relative mode. */
  display: Display;
  /** The spin whose phase is followed over time, by index. */
  pinnedSpin: number | null;
  /** The floating performance HUD (key H), over any view. */
  hudOpen: boolean;
  /** The operator's token, in memory only; null is anonymous (public tenants). */
  token: string | null;
  /** Bumped on every token change. */
  tokenGeneration: number;
  /**
   * Bumped when the picture must go at once (signed out, access refused): the heatmap gets a fresh,
   * blank canvas, so no pixel of a private tenant outlives the right to see it.
   */
  pictureGeneration: number;
  /** The side panels' order and collapsed ones as this browser keeps them; null: the defaults. */
  panelLayout: PanelLayout | null;
  /** The panel that fills the window, by id; null when none does. */
  fullscreenPanel: string | null;
  /** Embedded: the panels' drawer over the heatmap is open. */
  drawerOpen: boolean;
}

export const EMPTY_HUD: HudStats = {
  fps: 0,
  frameTimeP50Ms: 0,
  frameTimeP95Ms: 0,
  framesReceived: 0,
  framesRendered: 0,
  framesDropped: 0,
  lastFrameAgeMs: null,
  lastFrameWallMs: null,
  frameOnScreen: -1,
  frameOnScreenProducedAtMs: null,
  heatmapTextureBytes: 0,
  drawnFrames: [],
  decodeMsP95: 0,
  latencyMsP95: null,
  producedToPixelsMsP95: null,
  frameIndex: -1,
  bytesPerSecond: 0,
};

export function createUiStore(params: AppParams, notices: ParamNotice[]) {
  return createStore<UiState>()(() => ({
    params,
    notices,
    connection: {
      state: 'connecting',
      attempt: 0,
      retryInMs: null,
      reason: null,
      refusal: null,
      sinceMs: Date.now(),
    },
    stream: null,
    playback: null,
    webglAvailable: true,
    contextLost: false,
    renderMode: params.renderer === 'cpu' ? 'cpu' : 'gpu',
    renderReason: 'waiting for the stream',
    gpuThreshold: {
      spins: params.gpuThreshold ?? DEFAULT_GPU_THRESHOLD,
      source: params.gpuThreshold === null ? 'default' : 'url',
      tenant: params.tenant,
    },
    lastFault: null,
    hud: EMPTY_HUD,
    display: { ...DEFAULT_DISPLAY, ...(params.zoom ?? {}), relative: params.relative },
    pinnedSpin: null,
    hudOpen: false,
    token: null,
    tokenGeneration: 0,
    pictureGeneration: 0,
    panelLayout: null,
    fullscreenPanel: null,
    drawerOpen: false,
  }));
}

export type UiStore = ReturnType<typeof createUiStore>;

/** The tenant the console shows: the stream's once it said, the URL's before. */
export function currentTenant(state: UiState): string | null {
  return state.stream?.tenant ?? state.params.tenant;
}
