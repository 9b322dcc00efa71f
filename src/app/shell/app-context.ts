// The app context: the one object that holds what the page shares (the UI store, the frame
// pipeline, the actions and the API client). main.tsx makes it once; React reads it through
// shell/hooks.ts, the embed bridge takes it whole. Nothing in src/app is a module-level singleton.
import { createApiRequests, type ApiRequests } from '../api/client';
import { FramePipeline } from '../frames/pipeline';
import { clearPicture, startStream, streamUrl } from '../frames/stream-client';
import type { LatticeView, ViewMode } from '../state/params';
import { createUiStore, type UiStore } from '../state/ui-store';
import { parseAppParams } from '../url/params';
import { createAppActions, type AppActions } from './actions';
import { restoreCursor } from './restore-cursor';
import { loadPanelLayout } from './panel-storage';
import { loadToken } from './token';

export interface AppContext {
  readonly ui: UiStore;
  readonly frames: FramePipeline;
  readonly actions: AppActions;
  readonly api: ApiRequests;
}

/** How often the HUD's figures go from the frame pipeline to the UI store. */
const HUD_INTERVAL_MS = 250;

function latticeView(view: ViewMode): LatticeView | null {
  return view === 'tickets' || view === 'policy' ? null : view;
}

/**
 * The UI store drives the frame pipeline directly, not through React renders: the view picks the
 * renderer that draws, the display sets zoom, pan and relative mode, the pin follows a spin.
 */
function driveFramePipeline(ui: UiStore, frames: FramePipeline): void {
  const initial = ui.getState();
  frames.loop.show(latticeView(initial.params.view));
  frames.loop.setDisplay(initial.display);
  frames.pin(initial.pinnedSpin);
  ui.subscribe((state, previous) => {
    if (state.params.view !== previous.params.view)
      frames.loop.show(latticeView(state.params.view));
    if (state.display !== previous.display) frames.loop.setDisplay(state.display);
    if (state.pinnedSpin !== previous.pinnedSpin) frames.pin(state.pinnedSpin);
  });
  // The HUD is React state, refreshed four times a second from the pipeline's figures.
  setInterval(() => ui.setState({ hud: frames.hud() }), HUD_INTERVAL_MS);
}

/** Reads the URL, connects the stream and starts the render loop: the page's one app context. */
export function startAppContext(location: Location): AppContext {
  const { params, notices } = parseAppParams(location.search);
  for (const notice of notices) console.warn(`[url] ${notice.message}`);
  const ui = createUiStore(params, notices);
  ui.setState({ token: loadToken(), panelLayout: loadPanelLayout() });
  const frames = new FramePipeline();
  driveFramePipeline(ui, frames);
  frames.loop.start();
  const connection = startStream(
    ui,
    frames,
    streamUrl(location, params.tenant),
    ui.getState().token,
    (stream) => {
      const notice = restoreCursor(ui.getState(), params, stream, connection.control);
      if (notice) ui.setState((s) => ({ notices: [...s.notices, notice] }));
    },
  );
  const actions = createAppActions(ui, {
    control: connection.control,
    reconnect: () => {
      const { params: current, token } = ui.getState();
      connection.connect(streamUrl(location, current.tenant), token);
    },
    clearPicture: () => clearPicture(ui, frames),
  });
  const api = createApiRequests(() => ui.getState().token);
  return { ui, frames, actions, api };
}
