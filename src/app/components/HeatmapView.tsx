import { useEffect, useRef } from 'react';
import { colormapLut } from '../../core/colormap';
import { createCanvasHeatmap } from '../../render/canvas-heatmap';
import { createReglHeatmap } from '../../render/regl-heatmap';
import type { HeatmapRenderer } from '../../render/types';
import { useUi, type UiStore } from '../state/ui-store';
import type { VizController } from '../viz/controller';
import { chooseRenderMode } from '../viz/render-mode';

interface Props {
  store: UiStore;
  controller: VizController;
}

/** Fits a box of the lattice's aspect into the container; the canvas backing store is W x H. */
function fitCanvas(container: HTMLElement, canvas: HTMLCanvasElement, aspect: number): void {
  const { clientWidth, clientHeight } = container;
  if (clientWidth === 0 || clientHeight === 0) return;
  const widthPx = Math.min(clientWidth, clientHeight * aspect);
  canvas.style.width = `${Math.floor(widthPx)}px`;
  canvas.style.height = `${Math.floor(widthPx / aspect)}px`;
}

export function HeatmapView({ store, controller }: Props) {
  const stream = useUi(store, (s) => s.stream);
  const params = useUi(store, (s) => s.params);
  const webglAvailable = useUi(store, (s) => s.webglAvailable);
  const contextLost = useUi(store, (s) => s.contextLost);
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  const spins = stream ? stream.width * stream.height : 0;
  const { mode, reason } = chooseRenderMode({
    spins,
    gpuThreshold: params.gpuThreshold,
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
            store.setState({
              contextLost: true,
              lastFault: 'WebGL context lost: drawing on the CPU canvas',
            }),
        });
      } catch (error) {
        store.setState({ webglAvailable: false, lastFault: (error as Error).message });
        return;
      }
    } else {
      renderer = createCanvasHeatmap(canvas, { colormapLut: lut });
    }
    controller.setRenderer(renderer);
    store.setState({ renderMode: mode, renderReason: reason });
    return () => {
      controller.setRenderer(null);
      renderer.destroy();
    };
    // The renderer is rebuilt only when what it draws with changes, not on every stream message.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, params.colormap, stream?.width, stream?.height]);

  useEffect(() => {
    const container = containerRef.current;
    const canvas = canvasRef.current;
    if (!container || !canvas) return;
    fitCanvas(container, canvas, aspect);
    const observer = new ResizeObserver(() => fitCanvas(container, canvas, aspect));
    observer.observe(container);
    return () => observer.disconnect();
  }, [aspect, mode]);

  return (
    <div className="heatmap-frame" ref={containerRef}>
      <canvas
        key={mode}
        ref={canvasRef}
        className="heatmap"
        data-testid="heatmap"
        data-render-mode={mode}
        aria-label={
          stream ? `Phase heatmap, ${stream.width} by ${stream.height} spins` : 'Phase heatmap'
        }
      />
      {!stream && <div className="heatmap-empty">Waiting for the stream…</div>}
    </div>
  );
}
