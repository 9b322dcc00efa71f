// The side panels, in their default order. A new panel is one line here and a component that
// renders <Panel id=...> (Panel.tsx; docs/PANELS.md). Browsers that stored an arrangement before a
// panel existed get it where this order puts it (state/panel-layout.ts).
import type { ComponentType } from 'react';
import type { PanelDefaults } from '../../state/panel-layout';
import { BandwidthPanel } from '../BandwidthPanel';
import { BaselinePanel } from '../BaselinePanel';
import { ClientReportsPanel } from '../ClientReportsPanel';
import { DisplayPanel } from '../DisplayPanel';
import { GatesPanel } from '../GatesPanel';
import { Hud } from '../Hud';
import { LatencyPanel } from '../LatencyPanel';
import { MttrPanel } from '../MttrPanel';
import { PhaseMetricsPanel } from '../PhaseMetricsPanel';
import { PinnedSpinPanel } from '../PinnedSpinPanel';
import { RcaEffectivenessPanel } from '../RcaEffectivenessPanel';

export interface PanelDefinition {
  id: string;
  component: ComponentType;
  /** Shows only its title until the operator opens it. */
  collapsed?: boolean;
}

/** MTTR, latency and bandwidth first: at 1440 x 900 they show without scrolling. */
export const PANELS: readonly PanelDefinition[] = [
  { id: 'mttr', component: MttrPanel },
  { id: 'latency', component: LatencyPanel },
  { id: 'bandwidth', component: BandwidthPanel },
  { id: 'rca', component: RcaEffectivenessPanel },
  { id: 'gates', component: GatesPanel, collapsed: true },
  { id: 'baseline', component: BaselinePanel, collapsed: true },
  { id: 'phase-metrics', component: PhaseMetricsPanel },
  { id: 'pinned', component: PinnedSpinPanel },
  { id: 'display', component: DisplayPanel },
  { id: 'performance', component: Hud, collapsed: true },
  { id: 'client-reports', component: ClientReportsPanel, collapsed: true },
];

export const PANEL_DEFAULTS: PanelDefaults = {
  ids: PANELS.map((p) => p.id),
  collapsed: PANELS.filter((p) => p.collapsed).map((p) => p.id),
};
