// UI state (zustand, framework-free store bound to React with a hook). Per-frame data never
// goes here: the render loop reads the frame store directly; this store changes a few times a second.
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { StreamInfo } from '../../core/wire/envelope';
import type { RenderMode } from '../../render/types';
import type { ConnectionState } from '../stream/worker-messages';
import type { AppParams, ParamNotice } from '../url-params';

export interface HudStats {
  fps: number;
  frameTimeP95Ms: number;
  framesReceived: number;
  framesRendered: number;
  framesDropped: number;
  decodeMsP95: number;
  frameIndex: number;
  bytesPerSecond: number;
}

export interface UiState {
  params: AppParams;
  notices: ParamNotice[];
  connection: {
    state: ConnectionState;
    attempt: number;
    retryInMs: number | null;
    reason: string | null;
  };
  stream: StreamInfo | null;
  webglAvailable: boolean;
  contextLost: boolean;
  renderMode: RenderMode;
  renderReason: string;
  lastFault: string | null;
  hud: HudStats;
}

export const EMPTY_HUD: HudStats = {
  fps: 0,
  frameTimeP95Ms: 0,
  framesReceived: 0,
  framesRendered: 0,
  framesDropped: 0,
  decodeMsP95: 0,
  frameIndex: -1,
  bytesPerSecond: 0,
};

export function createUiStore(params: AppParams, notices: ParamNotice[]) {
  return createStore<UiState>()(() => ({
    params,
    notices,
    connection: { state: 'connecting', attempt: 0, retryInMs: null, reason: null },
    stream: null,
    webglAvailable: true,
    contextLost: false,
    renderMode: params.renderer === 'cpu' ? 'cpu' : 'gpu',
    renderReason: 'waiting for the stream',
    lastFault: null,
    hud: EMPTY_HUD,
  }));
}

export type UiStore = ReturnType<typeof createUiStore>;

export function useUi<T>(store: UiStore, selector: (state: UiState) => T): T {
  return useStore(store, selector);
}
