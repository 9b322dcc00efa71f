// The 3-D spin view's React side, loaded with React.lazy so that three.js stays out of the first
// screen. It owns a canvas made per renderer (a context given back on close cannot be reused) and
// attaches the renderer to the page's render loop, which hands it frames while the view shows;
// React never sees per-frame data.
import { useEffect, useRef, useState } from 'react';
import { colormapLut } from '../../core/colormap';
import { createSpinView3D, type SpinView3D as Renderer } from '../../render/spin-view-3d';
import { useAppContext, useUi } from '../shell/hooks';

/** How often the canvas's data-* statistics (for tests and hosts) refresh, in ms. */
const STATS_INTERVAL_MS = 250;

export default function SpinView3D() {
  const { ui, frames } = useAppContext();
  const colormap = useUi((s) => s.params.colormap);
  const containerRef = useRef<HTMLDivElement>(null);
  const rendererRef = useRef<Renderer | null>(null);
  const [fault, setFault] = useState<string | null>(null);
  const [stride, setStride] = useState(1);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const canvas = document.createElement('canvas');
    canvas.className = 'spin-view-canvas';
    canvas.dataset.testid = 'spin-view-3d';
    canvas.setAttribute('aria-label', '3-D spin view: arrows turned by phase; drag to orbit');
    container.prepend(canvas);
    let renderer: Renderer;
    try {
      renderer = createSpinView3D(canvas, {
        colormapLut: colormapLut(ui.getState().params.colormap),
        onContextLost: () => setFault('WebGL context lost: the 3-D view is paused'),
        onContextRestored: () => setFault(null),
      });
    } catch (error) {
      setFault(`3-D view unavailable: ${(error as Error).message}`);
      canvas.remove();
      return;
    }
    rendererRef.current = renderer;
    const detach = frames.loop.attach('3d', renderer);

    const observer = new ResizeObserver(() => renderer.resize());
    observer.observe(canvas);
    const statsTimer = setInterval(() => {
      const s = renderer.stats();
      canvas.dataset.renders = String(s.renders);
      canvas.dataset.framesDrawn = String(s.framesDrawn);
      canvas.dataset.arrows = String(s.arrows);
      canvas.dataset.stride = String(s.stride);
      setStride(s.stride);
      canvas.dataset.drawCostMs = s.drawCostMs.toFixed(1);
    }, STATS_INTERVAL_MS);

    return () => {
      detach();
      clearInterval(statsTimer);
      observer.disconnect();
      rendererRef.current = null;
      renderer.destroy();
      canvas.remove();
    };
  }, [ui, frames]);

  useEffect(() => {
    rendererRef.current?.setColormap(colormapLut(colormap));
  }, [colormap]);

  return (
    <div className="spin-view" ref={containerRef} data-testid="spin-view">
      {stride > 1 && !fault && (
        <p className="spin-view-note muted" data-testid="spin-view-detail">
          1 spin in {stride} per axis: an arrow per spin would be too small to read
        </p>
      )}
      {fault && (
        <p className="spin-view-fault error" role="alert">
          {fault}
        </p>
      )}
    </div>
  );
}
