// The side column: the shared time range, then the panels in this browser's order. Embedded in a
// small IDE panel it is a drawer over the heatmap, opened from the stage bar.
import { useMemo } from 'react';
import { useActions, useUi } from '../../shell/hooks';
import { normalizePanelLayout } from '../../state/panel-layout';
import { TimeRangeControl } from '../TimeRangeControl';
import { PlacementContext, type Placement } from './placement';
import { PANELS, PANEL_DEFAULTS } from './registry';

export function SidePanels() {
  const actions = useActions();
  const stored = useUi((s) => s.panelLayout);
  const embed = useUi((s) => s.params.embed);
  const drawerOpen = useUi((s) => s.drawerOpen);
  const placement = useMemo<Placement>(
    () => ({
      layout: normalizePanelLayout(stored, PANEL_DEFAULTS),
      apply: actions.setPanelLayout,
    }),
    [stored, actions],
  );
  const byId = new Map(PANELS.map((p) => [p.id, p.component]));
  return (
    <aside
      className={`side${embed ? ' side-drawer' : ''}`}
      id="side-panels"
      data-testid="side-panels"
      hidden={embed && !drawerOpen}
      aria-label="Panels"
    >
      <TimeRangeControl />
      <PlacementContext.Provider value={placement}>
        {placement.layout.order.map((id) => {
          const Component = byId.get(id)!;
          return <Component key={id} />;
        })}
      </PlacementContext.Provider>
    </aside>
  );
}
