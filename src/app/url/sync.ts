// Keeps the address bar describing the view (tenant, frame, speed, colormap, theme, tickets, ...),
// so a copied link reopens it. Replaces the history entry: no back-button spam (only drill-downs
// into the tickets add entries, see tickets/navigation.ts). Never writes tokens.
import { DEFAULT_TIME_RANGE } from '../state/time-range';
import type { UiState, UiStore } from '../state/ui-store';
import { parseAppParams } from './params';
import { writeTicketListParams } from './ticket-list-params';
import { formatZoomParam } from './zoom-param';

export function viewQuery(state: UiState, current: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams(current);
  const set = (key: string, value: string | null): void => {
    if (value === null) query.delete(key);
    else query.set(key, value);
  };
  const { params, playback, stream } = state;
  set('tenant', params.tenant ?? null);
  const cursor = playback !== null && !playback.live;
  // A paused view is exactly one frame; a moving cursor is only roughly where it was.
  set('frame', cursor && stream?.source === 'replay' ? String(playback.frame) : null);
  set('speed', cursor && playback.speed !== 1 ? String(playback.speed) : null);
  set('colormap', params.colormap === 'wheel' ? null : params.colormap);
  set('theme', params.theme === 'dark' ? null : params.theme);
  if (stream) set('zoom', formatZoomParam(state.display, stream.width, stream.height));
  set('relative', state.display.relative ? '1' : null);
  set('view', params.view === 'heatmap' ? null : params.view);
  const tickets = params.view === 'tickets';
  // A list's `window=` sets the range when `range=` is absent (url/params.ts): no need for both.
  const impliedByWindow = tickets && params.tickets.window === params.range;
  set('range', params.range === DEFAULT_TIME_RANGE || impliedByWindow ? null : params.range);
  writeTicketListParams(query, tickets ? params.tickets : null);
  set('ticket', tickets && params.ticket !== null ? String(params.ticket) : null);
  query.delete('token');
  return query;
}

export function startUrlSync(store: UiStore): () => void {
  // Drill-downs into the tickets push history entries: Back and Forward restore what they show.
  const onPopState = (): void => {
    const { params } = parseAppParams(window.location.search);
    store.setState((s) => ({
      params: { ...s.params, view: params.view, tickets: params.tickets, ticket: params.ticket },
    }));
  };
  window.addEventListener('popstate', onPopState);
  const unsubscribe = store.subscribe((state, previous) => {
    if (
      state.playback === previous.playback &&
      state.params === previous.params &&
      state.stream === previous.stream &&
      state.display === previous.display
    ) {
      return;
    }
    const url = new URL(window.location.href);
    const query = viewQuery(state, url.searchParams);
    const next = query.toString();
    if (next !== url.searchParams.toString()) {
      url.search = next;
      window.history.replaceState(null, '', url);
    }
  });
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', onPopState);
  };
}
