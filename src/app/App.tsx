import { lazy, Suspense } from 'react';
import { BandwidthPanel } from './components/BandwidthPanel';
import { LatencyPanel } from './components/LatencyPanel';
import { MttrPanel } from './components/MttrPanel';
import { TicketsView } from './components/TicketsView';
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
import { useUi, type UiStore } from './state/ui-store';
import type { VizController } from './viz/controller';

// three.js comes in its own chunk, fetched the first time the 3-D view opens.
const SpinView3D = lazy(() => import('./components/SpinView3D'));

export function App({ store, controller }: { store: UiStore; controller: VizController }) {
  const params = useUi(store, (s) => s.params);
  const tenant = useUi(store, (s) => s.stream?.tenant ?? null);
  return (
    <div className={`app theme-${params.theme}${params.embed ? ' embed' : ''}`}>
      {!params.embed && <Header store={store} />}
      <Notices store={store} />
      <main className="layout">
        <div className="stage">
          <ViewToggle store={store} />
          <HeatmapView store={store} controller={controller} />
          {params.view === '3d' && (
            <Suspense fallback={<div className="spin-view muted">Loading the 3-D view…</div>}>
              <SpinView3D store={store} controller={controller} />
            </Suspense>
          )}
          {params.view === 'tickets' && <TicketsView store={store} />}
          <ReplayBar store={store} controller={controller} />
        </div>
        <aside className="side">
          <Hud store={store} />
          <DisplayPanel store={store} />
          <PinnedSpinPanel store={store} controller={controller} />
          <PhaseMetricsPanel />
          <LatencyPanel tenant={tenant} />
          <MttrPanel tenant={tenant} />
          <BandwidthPanel tenant={tenant} />
        </aside>
      </main>
      <ShortcutsHelp store={store} />
      <FloatingHud store={store} />
    </div>
  );
}
