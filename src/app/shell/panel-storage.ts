// The side panels' arrangement kept per browser (localStorage): read once at start, written on
// every change. What comes back is checked for shape only; components/panels/SidePanels.tsx makes
// it valid against the panels this version has (state/panel-layout.ts).
import type { PanelLayout } from '../state/panel-layout';

const LAYOUT_KEY = 'phase-console.panels.v1';

export function loadPanelLayout(): PanelLayout | null {
  try {
    const text = localStorage.getItem(LAYOUT_KEY);
    if (text === null) return null;
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { order, collapsed } = value as Record<string, unknown>;
    const strings = (v: unknown): v is string[] =>
      Array.isArray(v) && v.every((s) => typeof s === 'string');
    if (!strings(order) || !strings(collapsed)) {
      console.warn('[panels] the stored panel layout is malformed; using the default layout');
      return null;
    }
    return { order, collapsed };
  } catch {
    // Storage blocked (a sandboxed iframe) or broken JSON: the default layout.
    return null;
  }
}

export function savePanelLayout(layout: PanelLayout): void {
  try {
    localStorage.setItem(LAYOUT_KEY, JSON.stringify(layout));
  } catch {
    // Storage blocked: the arrangement lasts as long as the page.
  }
}
