import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { colormapLut } from '../../core/colormap';
import { createCanvasHeatmap } from '../../render/canvas-heatmap';
import { createReglHeatmap } from '../../render/regl-heatmap';
import type { HeatmapRenderer } from '../../render/types';
import { tenantsQuery } from '../api/panel-queries';
import { chooseRenderMode } from '../frames/render-mode';
import { useActions, useApi, useAppContext, useStreamState, useUi } from '../shell/hooks';
import { cellAt, viewWindow } from '../state/display';
import { resolveGpuThreshold, type GpuThreshold } from '../state/gpu-threshold';
import { CellHighlight, useCellCursor } from './CellCursor';
import { HoverReadout, type HoveredCell } from './HoverReadout';
import { StreamBanner } from './StreamState';

/** Fits a box of the lattice's aspect into the container; the canvas backing store is W x H. */
function fitCanvas(container: HTMLElement, canvas: HTMLCanvasElement, aspect: number): void {
  const { clientWidth, clientHeight } = container;
  if (clientWidth === 0 || clientHeight === 0) return;
  const widthPx = Math.min(clientWidth, clientHeight * aspect);
  canvas.style.width = `${Math.floor(widthPx)}px`;
  canvas.style.height = `${Math.floor(widthPx / aspect)}px`;
}

/**
 * The threshold that applies to the streamed tenant: the URL's for this view, else the tenant's
 * own or the server's, as the tenant summary says (an operator setting, `admin tenant set`).
 */
function useGpuThreshold(tenant: string | null): GpuThreshold {
  const urlSpins = useUi((s) => s.params.gpuThreshold);
  const tenants = useQuery(tenantsQuery(useApi())).data?.tenants;
  const summary = tenants?.find((t) => t.id === tenant);
  return resolveGpuThreshold(urlSpins, tenant, summary);
}

/** A drag of fewer pixels than this is a click (pin), not a pan. */
const CLICK_SLOP_PX = 4;

export function HeatmapView() {
  const { ui, frames } = useAppContext();
  const actions = useActions();
  const stream = useUi((s) => s.stream);
  const params = useUi((s) => s.params);
  const webglAvailable = useUi((s) => s.webglAvailable);
  const contextLost = useUi((s) => s.contextLost);
  // A new canvas when the picture must go (signed out, refused): no old pixel survives on it.
  const pictureGeneration = useUi((s) => s.pictureGeneration);
  const current = useStreamState().current;
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hovered, setHovered] = useState<HoveredCell | null>(null);
  const keyboard = useCellCursor(stream, actions);
  const readCell = hovered ?? keyboard.cell;

  const spins = stream ? stream.width * stream.height : 0;
  const gpuThreshold = useGpuThreshold(stream?.tenant ?? null);
  const { mode, reason } = chooseRenderMode({
    spins,
    gpuThreshold,
    preference: params.renderer,
    webglAvailable,
    contextLost,
  });
  const aspect = stream ? stream.width / stream.height : 1.2;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !stream) return;
    const lut = colormapLut(params.colormap);
    let renderer: HeatmapRenderer;
    if (mode === 'gpu') {
      try {
        renderer = createReglHeatmap(canvas, {
          colormapLut: lut,
          onContextLost: () =>
            ui.setState({
              contextLost: true,
              lastFault: 'WebGL context lost: drawing on the CPU canvas until it is restored',
            }),
        });
      } catch (error) {
        ui.setState({ webglAvailable: false, lastFault: (error as Error).message });
        return;
      }
      // The CPU canvas replaces this one while the context is lost; this canvas keeps listening,
      // and when the browser restores its context the GPU renderer comes back on a fresh canvas.
      canvas.addEventListener(
        'webglcontextrestored',
        () => {
          if (ui.getState().contextLost) ui.setState({ contextLost: false, lastFault: null });
        },
        { once: true },
      );
    } else {
      renderer = createCanvasHeatmap(canvas, { colormapLut: lut });
    }
    // Kept while the 3-D or the tickets view shows: the loop draws it only when it is visible,
    // and coming back to it is instant.
    const detach = frames.loop.attach('heatmap', renderer);
    ui.setState({ renderMode: mode });
    return () => {
      detach();
      renderer.destroy();
    };
    // The renderer is rebuilt only when what it draws with changes, not on every stream message.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, params.colormap, stream?.width, stream?.height, pictureGeneration]);

  // The reason follows the threshold even when the renderer stays (the tenant's setting arrived).
  useEffect(() => {
    if (stream) ui.setState({ renderReason: reason, gpuThreshold });
    // gpuThreshold is a fresh object each render; its fields are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ui, stream, reason, gpuThreshold.spins, gpuThreshold.source, gpuThreshold.tenant]);

  useEffect(() => {
    const container = containerRef.current;
    const canvas = canvasRef.current;
    if (!container || !canvas) return;
    fitCanvas(container, canvas, aspect);
    const observer = new ResizeObserver(() => fitCanvas(container, canvas, aspect));
    observer.observe(container);
    return () => observer.disconnect();
  }, [aspect, mode, pictureGeneration]);

  // Pointer: wheel zooms about the pointer, drag pans, a click pins the spin under it.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !stream) return;
    const fraction = (e: MouseEvent): [number, number] => {
      const rect = canvas.getBoundingClientRect();
      return [(e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height];
    };
    const cellUnder = (e: MouseEvent) => {
      const [fx, fy] = fraction(e);
      const view = viewWindow(stream.width, stream.height, ui.getState().display);
      return cellAt(view, stream.width, stream.height, fx, fy);
    };
    let drag: { x: number; y: number; moved: boolean } | null = null;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const [fx, fy] = fraction(e);
      actions.zoom(Math.exp(-e.deltaY * 0.002), fx, fy);
    };
    const onDown = (e: PointerEvent): void => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
      canvas.setPointerCapture(e.pointerId);
    };
    const onMove = (e: PointerEvent): void => {
      const cell = cellUnder(e);
      // A new cell only when the pointer crossed into one: the readout re-reads then.
      setHovered((prev) => (prev && cell && prev.x === cell.x && prev.y === cell.y ? prev : cell));
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP_PX) return;
      drag.moved = true;
      const rect = canvas.getBoundingClientRect();
      actions.pan(-dx / rect.width, -dy / rect.height);
      drag.x = e.clientX;
      drag.y = e.clientY;
    };
    const onUp = (e: PointerEvent): void => {
      if (drag && !drag.moved) {
        const cell = cellUnder(e);
        if (cell) {
          const index = cell.y * stream.width + cell.x;
          actions.pin(ui.getState().pinnedSpin === index ? null : index);
        }
      }
      drag = null;
    };
    const onLeave = (): void => setHovered(null);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointerleave', onLeave);
    return () => {
      canvas.removeEventListener('wheel', onWheel);
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointerleave', onLeave);
    };
  }, [actions, ui, stream, mode, pictureGeneration]);

  return (
    <div className="heatmap-frame" ref={containerRef} data-current={current}>
      <canvas
        key={`${mode}-${pictureGeneration}`}
        hidden={!stream}
        ref={canvasRef}
        className="heatmap"
        data-testid="heatmap"
        data-render-mode={mode}
        tabIndex={stream ? 0 : -1}
        aria-label={
          stream
            ? `Phase heatmap, ${stream.width} by ${stream.height} spins: arrow keys move a cell cursor, Enter pins the cell`
            : 'Phase heatmap'
        }
        {...keyboard.handlers}
      />
      {keyboard.cell && stream && (
        <CellHighlight cell={keyboard.cell} canvas={canvasRef} stream={stream} />
      )}
      <StreamBanner />
      {readCell && stream && <HoverReadout cell={readCell} />}
    </div>
  );
}
