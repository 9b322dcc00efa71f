// The heatmap from the keyboard: Tab gives it focus, the arrows move a cell cursor (Shift+arrows
// pan), Enter pins the cell, Escape leaves; the cell under the cursor is outlined and read out as
// the pointer's would be.
import { useState, type KeyboardEvent, type RefObject } from 'react';
import type { StreamInfo } from '../../core/wire/envelope';
import type { AppActions } from '../shell/actions';
import { useUi } from '../shell/hooks';
import { cellRect, viewWindow } from '../state/display';

export interface Cell {
  x: number;
  y: number;
}

const STEPS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

export function useCellCursor(stream: StreamInfo | null, actions: AppActions) {
  const display = useUi((s) => s.display);
  const pinned = useUi((s) => s.pinnedSpin);
  const [cell, setCell] = useState<Cell | null>(null);
  const centre = (): Cell | null =>
    stream
      ? {
          x: Math.min(stream.width - 1, Math.floor(display.centerXCells ?? stream.width / 2)),
          y: Math.min(stream.height - 1, Math.floor(display.centerYCells ?? stream.height / 2)),
        }
      : null;
  const onKeyDown = (e: KeyboardEvent): void => {
    if (!stream || e.ctrlKey || e.metaKey || e.altKey) return;
    const step = STEPS[e.key];
    if (step) {
      // The page's own arrows step frames; on the focused heatmap they move the cursor.
      e.preventDefault();
      e.stopPropagation();
      if (e.shiftKey) {
        actions.pan(step[0] * 0.1, step[1] * 0.1);
        return;
      }
      setCell((c) => {
        const from = c ?? centre()!;
        return {
          x: Math.min(stream.width - 1, Math.max(0, from.x + step[0])),
          y: Math.min(stream.height - 1, Math.max(0, from.y + step[1])),
        };
      });
    } else if (e.key === 'Enter' && cell) {
      e.preventDefault();
      const index = cell.y * stream.width + cell.x;
      actions.pin(pinned === index ? null : index);
    } else if (e.key === 'Escape') {
      (e.target as HTMLElement).blur();
    }
  };
  return {
    cell,
    handlers: {
      onKeyDown,
      onFocus: () => setCell((c) => c ?? centre()),
      onBlur: () => setCell(null),
    },
  };
}

/** The outline of the cursor's cell over the canvas (nothing when it is off the zoomed window). */
export function CellHighlight({
  cell,
  canvas,
  stream,
}: {
  cell: Cell;
  canvas: RefObject<HTMLCanvasElement | null>;
  stream: StreamInfo;
}) {
  const display = useUi((s) => s.display);
  const element = canvas.current;
  if (!element) return null;
  const rect = cellRect(viewWindow(stream.width, stream.height, display), cell.x, cell.y);
  if (rect.left + rect.width <= 0 || rect.left >= 1 || rect.top + rect.height <= 0 || rect.top >= 1)
    return null;
  return (
    <div
      className="cell-cursor"
      data-testid="cell-cursor"
      data-x={cell.x}
      data-y={cell.y}
      style={{
        left: element.offsetLeft + rect.left * element.clientWidth,
        top: element.offsetTop + rect.top * element.clientHeight,
        width: Math.max(3, rect.width * element.clientWidth),
        height: Math.max(3, rect.height * element.clientHeight),
      }}
    />
  );
}
