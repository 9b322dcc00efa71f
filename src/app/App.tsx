import { lazy, Suspense } from 'react';
import { BandwidthPanel } from './components/BandwidthPanel';
import { LatencyPanel } from './components/LatencyPanel';
import { MttrPanel } from './components/MttrPanel';
import { TicketsView } from './components/TicketsView';
import { PolicyView } from './components/PolicyView';
import { Header } from './components/Header';
import { HeatmapView } from './components/HeatmapView';
import { FloatingHud, Hud } from './components/Hud';
import { Notices } from './components/Notices';
import { DisplayPanel } from './components/DisplayPanel';
import { PinnedSpinPanel } from './components/PinnedSpinPanel';
import { PhaseMetricsPanel } from './components/PhaseMetricsPanel';
import { ReplayBar } from './components/ReplayBar';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import { ViewToggle } from './components/ViewToggle';
import { useUi } from './shell/hooks';

// three.js comes in its own chunk, fetched the first time the 3-D view opens.
const SpinView3D = lazy(() => import('./components/SpinView3D'));

export function App() {
  const params = useUi((s) => s.params);
  const tenant = useUi((s) => s.stream?.tenant ?? null);
  return (
    <div className={`app theme-${params.theme}${params.embed ? ' embed' : ''}`}>
      {!params.embed && <Header />}
      <Notices />
      <main className="layout">
        <div className="stage">
          <ViewToggle />
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
        <aside className="side">
          <Hud />
          <DisplayPanel />
          <PinnedSpinPanel />
          <PhaseMetricsPanel />
          <LatencyPanel tenant={tenant} />
          <MttrPanel tenant={tenant} />
          <BandwidthPanel tenant={tenant} />
        </aside>
      </main>
      <ShortcutsHelp />
      <FloatingHud />
    </div>
  );
}
