import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { createUiStore } from './state/ui-store';
import { parseAppParams } from './url-params';
import { VizController, installPhaseViz } from './viz/controller';
import { startStream, streamUrl } from './stream/stream-client';
import { ActionsContext, createAppActions, loadToken } from './actions';
import { ApiContext, createApiClient } from './api-context';
import { startUrlSync } from './url-sync';
import { startEmbedBridge } from './embed/bridge';
import './styles.css';

const { params, notices } = parseAppParams(window.location.search);
for (const notice of notices) console.warn(`[url] ${notice.message}`);
const store = createUiStore(params, notices);
store.setState({ token: loadToken() });
const controller = new VizController();
installPhaseViz(controller);
controller.start();
// On every hello (first connection or a reconnect) the server starts the client at the head:
// put back the cursor the URL or the operator had chosen.
const restoreView = (): void => {
  const wanted =
    store.getState().playback ?? (params.frame !== null || params.speed !== 1 ? null : undefined);
  if (wanted === undefined) return;
  // Pause before seeking: a seek keeps playing, and a stream tick between a seek and a later
  // pause would leave the cursor one frame past the one asked for.
  if (wanted === null) {
    if (params.frame !== null) connection.control({ action: 'pause' });
    if (params.frame !== null) connection.control({ action: 'seek', frame: params.frame });
    if (params.speed !== 1) connection.control({ action: 'speed', speed: params.speed });
    return;
  }
  if (wanted.live) return;
  if (!wanted.playing) connection.control({ action: 'pause' });
  connection.control({ action: 'seek', frame: wanted.frame });
  if (wanted.speed !== 1) connection.control({ action: 'speed', speed: wanted.speed });
  if (wanted.a !== null || !wanted.loop)
    connection.control({ action: 'loop', loop: wanted.loop, a: wanted.a, b: wanted.b });
};
const connection = startStream(
  store,
  controller,
  streamUrl(window.location, params.tenant),
  store.getState().token,
  restoreView,
);
const actions = createAppActions(store, {
  control: connection.control,
  reconnect: () => {
    const { params: p, token } = store.getState();
    connection.connect(streamUrl(window.location, p.tenant), token);
  },
});
const api = createApiClient(store);
startUrlSync(store);
void startEmbedBridge(store, controller, actions);
// The HUD is React state, refreshed four times a second from the render loop's statistics.
setInterval(() => store.setState({ hud: controller.hud() }), 250);

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 2 } } });
const root = document.getElementById('root');
if (!root) throw new Error('[app] #root element missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ActionsContext.Provider value={actions}>
        <ApiContext.Provider value={{ client: api, store }}>
          <App store={store} controller={controller} />
        </ApiContext.Provider>
      </ActionsContext.Provider>
    </QueryClientProvider>
  </StrictMode>,
);
