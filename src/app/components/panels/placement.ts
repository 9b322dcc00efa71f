// Where a panel sits among the side panels, and the operator's ways to change it: the layout
// SidePanels made valid against the registry comes to each Panel by context (so that Panel needs
// no import of the registry, which imports the panels).
import { createContext, useContext } from 'react';
import { movePanel, togglePanel, type PanelLayout } from '../../state/panel-layout';

export interface Placement {
  layout: PanelLayout;
  apply(layout: PanelLayout): void;
}

export const PlacementContext = createContext<Placement | null>(null);

export function usePanelPlacement(id: string) {
  const placement = useContext(PlacementContext);
  const order = placement?.layout.order ?? [id];
  const index = order.indexOf(id);
  return {
    collapsed: placement?.layout.collapsed.includes(id) ?? false,
    first: index <= 0,
    last: index < 0 || index === order.length - 1,
    toggle: () => placement?.apply(togglePanel(placement.layout, id)),
    move: (delta: -1 | 1) => placement?.apply(movePanel(placement.layout, id, delta)),
  };
}
