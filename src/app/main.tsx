import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { createUiStore } from './state/ui-store';
import { parseAppParams } from './url-params';
import { VizController, installPhaseViz } from './viz/controller';
import { startStream, streamUrl } from './stream/stream-client';
import './styles.css';

const { params, notices } = parseAppParams(window.location.search);
for (const notice of notices) console.warn(`[url] ${notice.message}`);
const store = createUiStore(params, notices);
const controller = new VizController();
installPhaseViz(controller);
controller.start();
startStream(store, controller, streamUrl(window.location, params.tenant));
// The HUD is React state, refreshed four times a second from the render loop's statistics.
setInterval(() => store.setState({ hud: controller.hud() }), 250);

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 2 } } });
const root = document.getElementById('root');
if (!root) throw new Error('[app] #root element missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App store={store} controller={controller} />
    </QueryClientProvider>
  </StrictMode>,
);
