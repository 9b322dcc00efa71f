// What an operator (buttons, keys) or an embedding host (postMessage) can ask of the app.
// Everything goes through here so every entry point behaves the same.
import { createContext, useContext } from 'react';
import type { PlaybackControl } from '../core/wire/playback';
import type { UiStore } from './state/ui-store';
import type { Theme } from './url-params';

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
