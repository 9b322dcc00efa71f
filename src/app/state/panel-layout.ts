// The side panels' arrangement: their order and which are collapsed, kept per browser
// (shell/panel-storage.ts). Pure functions: whatever a browser stored, the layout that comes out
// names every known panel exactly once, so a panel added in a later version shows up, and a stored
// value from an older one (or a broken one) never hides or duplicates a panel.

export interface PanelLayout {
  /** Every panel id, top to bottom. */
  order: string[];
  /** The ids of the panels that show only their title. */
  collapsed: string[];
}

export interface PanelDefaults {
  /** Known panel ids in their default order. */
  ids: readonly string[];
  /** Collapsed unless the operator opened them. */
  collapsed: readonly string[];
}

export function defaultPanelLayout(defaults: PanelDefaults): PanelLayout {
  return { order: [...defaults.ids], collapsed: [...defaults.collapsed] };
}

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** A stored layout (anything) made valid against the known panels. */
export function normalizePanelLayout(stored: unknown, defaults: PanelDefaults): PanelLayout {
  if (typeof stored !== 'object' || stored === null) return defaultPanelLayout(defaults);
  const record = stored as Record<string, unknown>;
  const known = new Set(defaults.ids);
  const order = [...new Set(stringsOf(record.order))].filter((id) => known.has(id));
  // A panel the stored order does not name (a new one) goes right after the panel before it in
  // the default order, or first.
  for (const id of defaults.ids) {
    if (order.includes(id)) continue;
    const before = defaults.ids.slice(0, defaults.ids.indexOf(id)).filter((p) => order.includes(p));
    const after = before.length > 0 ? order.indexOf(before[before.length - 1]!) + 1 : 0;
    order.splice(after, 0, id);
  }
  const storedCollapsed = Array.isArray(record.collapsed)
    ? stringsOf(record.collapsed)
    : [...defaults.collapsed];
  return { order, collapsed: [...new Set(storedCollapsed)].filter((id) => known.has(id)) };
}

/** Moves a panel up (-1) or down (+1) by one place; at an end it stays. */
export function movePanel(layout: PanelLayout, id: string, delta: -1 | 1): PanelLayout {
  const from = layout.order.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= layout.order.length) return layout;
  const order = [...layout.order];
  [order[from], order[to]] = [order[to]!, order[from]!];
  return { ...layout, order };
}

export function togglePanel(layout: PanelLayout, id: string): PanelLayout {
  return {
    ...layout,
    collapsed: layout.collapsed.includes(id)
      ? layout.collapsed.filter((c) => c !== id)
      : [...layout.collapsed, id],
  };
}
