import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { startEmbedBridge } from './embed/bridge';
import { installPhaseViz, phaseVizSnapshot } from './frames/phase-viz';
import { startAppContext } from './shell/app-context';
import { startBrowserReports } from './shell/browser-reports';
import { AppContextProvider } from './shell/hooks';
import { startUrlSync } from './url/sync';
import './styles.css';

const app = startAppContext(window.location);
startBrowserReports(app.ui);
installPhaseViz(() => phaseVizSnapshot(app.ui.getState(), app.frames.hud()));
startUrlSync(app.ui);
void startEmbedBridge(app);

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 2 } } });
const root = document.getElementById('root');
if (!root) throw new Error('[app] #root element missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AppContextProvider value={app}>
        <App />
      </AppContextProvider>
    </QueryClientProvider>
  </StrictMode>,
);
