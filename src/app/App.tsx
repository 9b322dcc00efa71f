import { BandwidthPanel } from './components/BandwidthPanel';
import { Header } from './components/Header';
import { HeatmapView } from './components/HeatmapView';
import { Hud } from './components/Hud';
import { Notices } from './components/Notices';
import { StreamsPanel } from './components/StreamsPanel';
import { useUi, type UiStore } from './state/ui-store';
import type { VizController } from './viz/controller';

export function App({ store, controller }: { store: UiStore; controller: VizController }) {
  const params = useUi(store, (s) => s.params);
  const tenant = useUi(store, (s) => s.stream?.tenant ?? null);
  return (
    <div className={`app theme-${params.theme}${params.embed ? ' embed' : ''}`}>
      {!params.embed && <Header store={store} />}
      <Notices store={store} />
      <main className="layout">
        <HeatmapView store={store} controller={controller} />
        <aside className="side">
          <Hud store={store} />
          <BandwidthPanel tenant={tenant} />
          {!params.embed && <StreamsPanel />}
        </aside>
      </main>
    </div>
  );
}
