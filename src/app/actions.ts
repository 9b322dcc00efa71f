// What an operator (buttons, keys) or an embedding host (postMessage) can ask of the app.
// Everything goes through here so every entry point behaves the same.
import { createContext, useContext } from 'react';
import type { PlaybackControl } from '../core/wire/playback';
import type { UiStore } from './state/ui-store';
import type { Theme } from './url-params';
import { DEFAULT_DISPLAY, panBy, zoomAt } from './viz/view';

export interface AppActions {
  play(): void;
  pause(): void;
  togglePlay(): void;
  seek(frame: number): void;
  step(delta: number): void;
  setSpeed(speed: number): void;
  setLoop(loop: boolean, a: number | null, b: number | null): void;
  goLive(): void;
  setTheme(theme: Theme): void;
  /** Zooms by a factor about a point given as fractions of the heatmap (the centre by default). */
  zoom(factor: number, fx?: number, fy?: number): void;
  /** Pans by fractions of the visible window (positive: right and down). */
  pan(fx: number, fy: number): void;
  resetView(): void;
  setRelative(relative: boolean): void;
  pin(spinIndex: number | null): void;
}

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;

export function createAppActions(
  store: UiStore,
  control: (c: PlaybackControl) => void,
): AppActions {
  const playing = (): boolean => store.getState().playback?.playing ?? true;
  return {
    play: () => control({ action: 'play' }),
    pause: () => control({ action: 'pause' }),
    togglePlay: () => control({ action: playing() ? 'pause' : 'play' }),
    seek: (frame) => control({ action: 'seek', frame }),
    step: (delta) => control({ action: 'step', delta }),
    setSpeed: (s) => control({ action: 'speed', speed: s }),
    setLoop: (loop, a, b) => control({ action: 'loop', loop, a, b }),
    goLive: () => control({ action: 'live' }),
    setTheme: (theme) => store.setState((s) => ({ params: { ...s.params, theme } })),
    zoom: (factor, fx = 0.5, fy = 0.5) => {
      const { stream, display } = store.getState();
      if (stream)
        store.setState({ display: zoomAt(display, stream.width, stream.height, factor, fx, fy) });
    },
    pan: (fx, fy) => {
      const { stream, display } = store.getState();
      if (!stream) return;
      const spanX = stream.width / display.zoom;
      const spanY = stream.height / display.zoom;
      store.setState({
        display: panBy(display, stream.width, stream.height, fx * spanX, fy * spanY),
      });
    },
    resetView: () =>
      store.setState((s) => ({ display: { ...DEFAULT_DISPLAY, relative: s.display.relative } })),
    setRelative: (relative) => store.setState((s) => ({ display: { ...s.display, relative } })),
    pin: (spinIndex) => store.setState({ pinnedSpin: spinIndex }),
  };
}

/** The next slower or faster speed of SPEEDS from the current one. */
export function nextSpeed(current: number, direction: 1 | -1): number {
  const index = SPEEDS.findIndex((s) => s >= current);
  const at = index === -1 ? SPEEDS.length - 1 : index;
  return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, at + direction))]!;
}

export const ActionsContext = createContext<AppActions | null>(null);

export function useActions(): AppActions {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error('[app] useActions outside ActionsContext');
  return actions;
}
