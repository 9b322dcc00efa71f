// Heatmap | 3-D switch over the lattice. The choice lives in the URL (`view=3d`), so a copied link
// reopens the same view; replaceState keeps the back button for real navigation.
import { useUi, type UiStore } from '../state/ui-store';
import { urlWithView, type ViewMode } from '../url-params';

const VIEWS: { view: ViewMode; label: string }[] = [
  { view: 'heatmap', label: 'Heatmap' },
  { view: '3d', label: '3-D' },
];

export function ViewToggle({ store }: { store: UiStore }) {
  const current = useUi(store, (s) => s.params.view);
  const choose = (view: ViewMode): void => {
    if (view === store.getState().params.view) return;
    store.setState((s) => ({ params: { ...s.params, view } }));
    window.history.replaceState(window.history.state, '', urlWithView(window.location.href, view));
  };
  return (
    <div className="view-toggle" role="group" aria-label="View" data-testid="view-toggle">
      {VIEWS.map(({ view, label }) => (
        <button
          key={view}
          type="button"
          aria-pressed={current === view}
          data-testid={`view-${view}`}
          onClick={() => choose(view)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
