// Heatmap | 3-D switch over the lattice, and the policy view. The choice lives in the URL (`view=3d`, written by
// url/sync.ts), so a copied link reopens the same view; replacing the history entry keeps the back
// button for real navigation.
import { useActions, useUi } from '../shell/hooks';
import type { ViewMode } from '../state/params';

const VIEWS: { view: ViewMode; label: string }[] = [
  { view: 'heatmap', label: 'Heatmap' },
  { view: '3d', label: '3-D' },
  { view: 'policy', label: 'Policy' },
];

export function ViewToggle() {
  const actions = useActions();
  const current = useUi((s) => s.params.view);
  return (
    <div className="view-toggle" role="group" aria-label="View" data-testid="view-toggle">
      {VIEWS.map(({ view, label }) => (
        <button
          key={view}
          type="button"
          aria-pressed={current === view}
          data-testid={`view-${view}`}
          onClick={() => actions.setView(view)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
