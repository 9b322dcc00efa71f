// The REST client the panels use: adds the operator's token (held in memory only: never in the
// URL, never in localStorage) as a Bearer header, and turns error bodies into readable messages.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { fetchJson } from './api';
import type { UiStore } from './state/ui-store';

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Changes whenever the token does: part of every query key, so data is refetched with it. */
  tokenKey: number;
}

export function createApiClient(store: UiStore) {
  const headers = (): Record<string, string> => {
    const token = store.getState().token;
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  return {
    get: <T>(path: string) => fetchJson<T>(path, { headers: headers() }),
    send: <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      fetchJson<T>(path, {
        method,
        headers: {
          ...headers(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

export interface ApiContextValue {
  client: ReturnType<typeof createApiClient>;
  store: UiStore;
}

export const ApiContext = createContext<ApiContextValue | null>(null);

export function useApi(): ApiClient {
  const value = useContext(ApiContext);
  if (!value) throw new Error('[app] useApi outside ApiContext');
  const tokenKey = useStore(value.store, (s) => s.tokenGeneration);
  return { ...value.client, tokenKey };
}
