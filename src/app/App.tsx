import { lazy, Suspense } from 'react';
import { TicketsView } from './components/TicketsView';
import { Header, RenderBadge } from './components/Header';
import { PolicyView } from './components/PolicyView';
import { HeatmapView } from './components/HeatmapView';
import { FloatingHud } from './components/Hud';
import { Notices } from './components/Notices';
import { ObserverBanner } from './components/ObserverBanner';
import { SidePanels } from './components/panels/SidePanels';
import { ReplayBar } from './components/replay/ReplayBar';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import { StageTools } from './components/StageTools';
import { StreamStateBadge } from './components/StreamState';
import { ViewToggle } from './components/ViewToggle';
import { useUi } from './shell/hooks';

// three.js comes in its own chunk, fetched the first time the 3-D view opens.
const SpinView3D = lazy(() => import('./components/SpinView3D'));

export function App() {
  const params = useUi((s) => s.params);
  const fullscreen = useUi((s) => s.fullscreenPanel !== null);
  return (
    <div
      className={`app theme-${params.theme}${params.embed ? ' embed' : ''}${fullscreen ? ' has-fullscreen' : ''}`}
    >
      {!params.embed && <Header />}
      <ObserverBanner />
      <Notices />
      <main className="layout">
        <div className="stage">
          <div className="stage-bar">
            <ViewToggle />
            {params.embed && (
              <>
                <StreamStateBadge />
                <RenderBadge />
              </>
            )}
            <StageTools />
          </div>
          <HeatmapView />
          {params.view === '3d' && (
            <Suspense fallback={<div className="spin-view muted">Loading the 3-D view…</div>}>
              <SpinView3D />
            </Suspense>
          )}
          {params.view === 'tickets' && <TicketsView />}
          {params.view === 'policy' && <PolicyView />}
          <ReplayBar />
        </div>
        <SidePanels />
      </main>
      <ShortcutsHelp />
      <FloatingHud />
    </div>
  );
}
