// React's way into the app context: one context provides the object main.tsx made, and the
// hooks read from it. Components take no store, pipeline or client as props.
import { createContext, useContext, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { ApiClient } from '../api/client';
import type { FramePipeline } from '../frames/pipeline';
import { streamStateOf, type StreamState } from '../frames/stream-state';
import type { UiState } from '../state/ui-store';
import type { AppActions } from './actions';
import type { AppContext } from './app-context';

const ReactAppContext = createContext<AppContext | null>(null);

export const AppContextProvider = ReactAppContext.Provider;

export function useAppContext(): AppContext {
  const app = useContext(ReactAppContext);
  if (!app) throw new Error('[app] a component read the app context outside AppContextProvider');
  return app;
}

/** A slice of the UI store; the component re-renders when it changes. */
export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useAppContext().ui, selector);
}

export function useActions(): AppActions {
  return useAppContext().actions;
}

export function useFrames(): FramePipeline {
  return useAppContext().frames;
}

/** The API client with the current token's key, for the query definitions' keys. */
export function useApi(): ApiClient {
  const { api, ui } = useAppContext();
  const tokenKey = useStore(ui, (s) => s.tokenGeneration);
  return useMemo(() => ({ ...api, tokenKey }), [api, tokenKey]);
}

/** The one stream state (frames/stream-state.ts); re-renders only when one of its fields changes. */
export function useStreamState(): StreamState {
  return useStore(useAppContext().ui, useShallow(streamStateOf));
}
