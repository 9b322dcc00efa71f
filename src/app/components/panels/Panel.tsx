// The frame of every side panel: its title (a button that collapses it), and its tools: move up or
// down, fill the window, export its data as CSV. A panel adopts it in a few lines (docs/PANELS.md):
//
//   <Panel id="latency" title="Tenant latency" csv={() => table}>{...}</Panel>
//
// and one line in registry.ts. The order, what is collapsed and what fills the window live in the
// UI store; the order and the collapsed panels are kept per browser.
import type { ReactNode } from 'react';
import { useActions, useUi } from '../../shell/hooks';
import { currentTenant } from '../../state/ui-store';
import { downloadBlob, exportFileName, toCsv, type CsvTable } from './csv';
import { usePanelPlacement } from './placement';

export interface PanelProps {
  /** Stable id: the layout's key (registry.ts) and the CSV file's name. */
  id: string;
  title: ReactNode;
  /** The title as words, for the tools' names when `title` is not a string. */
  label?: string;
  /** The panel's data as a table, built when the operator asks for it. Every panel has data. */
  csv: () => CsvTable;
  /** Controls next to the title (they stay when the panel is collapsed). */
  headerExtra?: ReactNode;
  testId?: string;
  className?: string;
  /** More data-* attributes of the panel's element, for tests and embedding hosts. */
  data?: Record<`data-${string}`, string | number>;
  children: ReactNode;
}

/** A chart's height in panel `id`: `normalPx` in the side column, most of the window in fullscreen. */
export function usePanelChartHeight(id: string, normalPx: number): number {
  const fullscreen = useUi((s) => s.fullscreenPanel === id);
  return fullscreen ? Math.max(normalPx, Math.round(window.innerHeight * 0.6)) : normalPx;
}

/**
 * Whether panel `id` shows its body (open, or filling the window): a panel whose figures cost the
 * server something fetches them only then.
 */
export function usePanelOpen(id: string): boolean {
  const fullscreen = useUi((s) => s.fullscreenPanel === id);
  return !usePanelPlacement(id).collapsed || fullscreen;
}

export function Panel(props: PanelProps) {
  const { id, title, label, csv, headerExtra, testId, className, data, children } = props;
  const actions = useActions();
  const tenant = useUi(currentTenant);
  const fullscreen = useUi((s) => s.fullscreenPanel === id);
  const { collapsed, first, last, toggle, move } = usePanelPlacement(id);
  const name = label ?? (typeof title === 'string' ? title : id);
  const exportCsv = (): void => {
    const blob = new Blob([toCsv(csv())], { type: 'text/csv;charset=utf-8' });
    downloadBlob(blob, exportFileName(tenant, id, 'csv', Date.now()));
  };
  return (
    <section
      className={`panel${className ? ` ${className}` : ''}${fullscreen ? ' panel-fullscreen' : ''}`}
      aria-label={name}
      data-testid={testId ?? `panel-${id}`}
      data-panel={id}
      data-collapsed={collapsed && !fullscreen}
      {...data}
      role={fullscreen ? 'dialog' : undefined}
      aria-modal={fullscreen || undefined}
    >
      <div className="panel-head">
        <h2>
          <button
            type="button"
            className="panel-title"
            aria-expanded={!collapsed || fullscreen}
            data-testid={`panel-toggle-${id}`}
            onClick={toggle}
            disabled={fullscreen}
            title={collapsed ? 'Show this panel' : 'Collapse this panel'}
          >
            {title}
          </button>
        </h2>
        {headerExtra}
        <span className="panel-tools">
          {!fullscreen && (
            <>
              <button
                type="button"
                aria-label={`Move ${name} up`}
                disabled={first}
                onClick={() => move(-1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move ${name} down`}
                disabled={last}
                onClick={() => move(1)}
              >
                ↓
              </button>
            </>
          )}
          <button
            type="button"
            aria-label={`Export ${name} as CSV`}
            data-testid={`panel-csv-${id}`}
            onClick={exportCsv}
          >
            CSV
          </button>
          <button
            type="button"
            aria-label={fullscreen ? `Close fullscreen ${name}` : `Show ${name} fullscreen`}
            data-testid={`panel-fullscreen-${id}`}
            onClick={() => actions.setFullscreenPanel(fullscreen ? null : id)}
          >
            {fullscreen ? 'Close' : 'Full'}
          </button>
        </span>
      </div>
      {(!collapsed || fullscreen) && <div className="panel-body">{children}</div>}
    </section>
  );
}
