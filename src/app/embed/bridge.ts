// The embed bridge: when the app runs in an iframe, it takes commands from its host by
// postMessage (only from allowed origins) and tells the host when it is ready, when its state
// changes, when something fails, and when an operator drills down into tickets.
import { phaseVizSnapshot } from '../frames/phase-viz';
import { streamStateOf } from '../frames/stream-state';
import type { UiState } from '../state/ui-store';
import type { AppContext } from '../shell/app-context';
import {
  EMBED_VERSION,
  originAllowed,
  parseHostMessage,
  type AppMessage,
  type EmbedState,
  type EmbedStreamState,
} from './messages';

const STATE_INTERVAL_MS = 500;

function embedStreamState(state: UiState): EmbedStreamState {
  const s = streamStateOf(state);
  return { state: s.state, current: s.current, sinceMs: s.sinceMs, message: s.message };
}

function embedState(app: AppContext): EmbedState {
  const state: UiState = app.ui.getState();
  const snapshot = phaseVizSnapshot(state, app.frames.hud());
  return {
    tenant: state.stream?.tenant ?? state.params.tenant,
    connected: snapshot.connected,
    renderMode: snapshot.renderMode,
    width: snapshot.width,
    height: snapshot.height,
    frameIndex: snapshot.frameIndex,
    playing: state.playback?.playing ?? true,
    live: state.playback === null || state.playback.live,
    theme: state.params.theme,
    streamState: embedStreamState(state),
  };
}

export interface EmbedBridge {
  /** Messages refused (bad origin or shape), with their reasons: for diagnostics and tests. */
  readonly refused: { origin: string; reason: string }[];
  stop(): void;
}

export async function startEmbedBridge(app: AppContext): Promise<EmbedBridge | null> {
  const { ui, actions } = app;
  if (window.parent === window) return null;
  let allowed: string[] = [];
  try {
    const response = await fetch('/api/embed');
    if (response.ok) allowed = ((await response.json()) as { origins: string[] }).origins;
  } catch {
    // Without the list only the app's own origin may talk to it.
  }
  const ownOrigin = window.location.origin;
  const hostOrigins = [...new Set([ownOrigin, ...allowed])];
  // Until the host speaks, messages go to every allowed origin; the browser delivers each only
  // if the parent really has that origin, so nothing leaks to another one.
  let hostOrigin: string | null = null;
  const refused: { origin: string; reason: string }[] = [];

  const post = (message: AppMessage): void => {
    for (const origin of hostOrigin ? [hostOrigin] : hostOrigins)
      window.parent.postMessage(message, origin);
  };
  const reportError = (code: string, message: string): void =>
    post({ type: 'error', version: EMBED_VERSION, code, message });

  const onMessage = (event: MessageEvent): void => {
    if (event.source !== window.parent) return;
    if (!originAllowed(event.origin, ownOrigin, allowed)) {
      const reason = `origin ${event.origin} is not allowed (server --embed-origins)`;
      refused.push({ origin: event.origin, reason });
      console.warn(`[embed] ignored a message: ${reason}`);
      return;
    }
    hostOrigin = event.origin;
    const message = parseHostMessage(event.data);
    if ('refused' in message) {
      refused.push({ origin: event.origin, reason: message.refused });
      console.warn(`[embed] ignored a message: ${message.refused}`);
      reportError('bad_message', message.refused);
      return;
    }
    switch (message.type) {
      case 'setTenant':
        actions.setTenant(message.tenant);
        break;
      case 'setToken':
        actions.setToken(message.token);
        break;
      case 'seek':
        actions.seek(message.frame);
        break;
      case 'play':
        actions.play();
        break;
      case 'pause':
        actions.pause();
        break;
      case 'setTheme':
        actions.setTheme(message.theme);
        break;
    }
  };
  window.addEventListener('message', onMessage);

  // Drill-downs go to the host to open in its own UI, instead of navigating the iframe.
  actions.setDrilldownHandler((drilldown) => {
    const target =
      drilldown.kind === 'ticket'
        ? { kind: 'ticket' as const, id: drilldown.id, url: drilldown.url }
        : { kind: 'tickets' as const, filters: { ...drilldown.filters }, url: drilldown.url };
    post({ type: 'drilldown', version: EMBED_VERSION, target });
    return true;
  });

  // State: on every change worth telling, at most twice a second; errors as they come.
  let last = '';
  const sendState = (): void => {
    const state = embedState(app);
    // A playing stream moves 60 frames a second: its frame index is news only when it stands still.
    // The stream state's message counts seconds; its name and since are what is news.
    const key = JSON.stringify({
      ...state,
      frameIndex: state.playing && state.live ? null : state.frameIndex,
      streamState: { state: state.streamState.state, sinceMs: state.streamState.sinceMs },
    });
    if (key === last) return;
    last = key;
    post({ type: 'state', version: EMBED_VERSION, state });
  };
  const timer = setInterval(sendState, STATE_INTERVAL_MS);
  // The stream state goes out the moment it changes, not at the next state message: a host
  // must never show a frozen picture as live.
  let lastStreamState = '';
  const sendStreamState = (state: UiState): void => {
    const streamState = embedStreamState(state);
    if (streamState.state === lastStreamState) return;
    lastStreamState = streamState.state;
    post({ type: 'streamState', version: EMBED_VERSION, streamState });
  };
  const unsubscribe = ui.subscribe((state, previous) => {
    if (state.lastFault && state.lastFault !== previous.lastFault)
      reportError('fault', state.lastFault);
    sendStreamState(state);
  });

  post({ type: 'ready', version: EMBED_VERSION, state: embedState(app) });
  sendStreamState(ui.getState());
  return {
    refused,
    stop() {
      clearInterval(timer);
      unsubscribe();
      window.removeEventListener('message', onMessage);
      actions.setDrilldownHandler(null);
    },
  };
}
