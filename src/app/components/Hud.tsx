import { useUi } from '../shell/hooks';
import type { GpuThreshold } from '../state/gpu-threshold';
import type { HudStats } from '../state/ui-store';
import { formatBytes } from './format';
import { Panel } from './panels/Panel';

const milliseconds = (value: number | null): string =>
  value === null ? '–' : `${value.toFixed(2)} ms`;

/**
 * This page's own figures. Latency here is this browser's, over its last frames (a frame's way
 * from the server to the decoder, and on to the screen); the latency panel's is the tenant's, over
 * every viewer's reports and the time range: two figures, two names.
 */
function hudRows(hud: HudStats, renderMode: string, threshold: GpuThreshold): [string, string][] {
  return [
    ['FPS', String(hud.fps)],
    ['frame time p50', `${hud.frameTimeP50Ms.toFixed(1)} ms`],
    ['frame time p95', `${hud.frameTimeP95Ms.toFixed(1)} ms`],
    ['decode p95', `${hud.decodeMsP95.toFixed(2)} ms`],
    ['produced → decoded p95', milliseconds(hud.latencyMsP95)],
    ['produced → pixels p95', milliseconds(hud.producedToPixelsMsP95)],
    ['received', hud.framesReceived.toLocaleString('en-US')],
    ['rendered', hud.framesRendered.toLocaleString('en-US')],
    ['dropped', hud.framesDropped.toLocaleString('en-US')],
    ['wire', `${formatBytes(hud.bytesPerSecond)}/s`],
    ['frame on screen', hud.frameOnScreen >= 0 ? String(hud.frameOnScreen) : '–'],
    ['renderer', renderMode.toUpperCase()],
    ['GPU threshold', `${threshold.spins.toLocaleString('en-US')} spins (${threshold.source})`],
    // What the heatmap holds on the GPU: its phase and colormap textures (0 on the CPU canvas).
    ['heatmap GPU memory', formatBytes(hud.heatmapTextureBytes)],
  ];
}

/** The figures, refreshed a few times a second, never per frame. */
function HudFigures() {
  const hud = useUi((s) => s.hud);
  const renderMode = useUi((s) => s.renderMode);
  const threshold = useUi((s) => s.gpuThreshold);
  return (
    <dl className="hud-figures">
      {hudRows(hud, renderMode, threshold).map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd data-figure={label}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The performance panel in the side column. */
export function Hud() {
  const hud = useUi((s) => s.hud);
  const renderMode = useUi((s) => s.renderMode);
  const threshold = useUi((s) => s.gpuThreshold);
  return (
    <Panel
      id="performance"
      title="Performance · this browser"
      label="Performance"
      testId="hud"
      className="hud"
      csv={() => ({ columns: ['figure', 'value'], rows: hudRows(hud, renderMode, threshold) })}
    >
      <HudFigures />
    </Panel>
  );
}

/** The figures as an overlay over any view, toggled with H; it leaves the header's badges free. */
export function FloatingHud() {
  const open = useUi((s) => s.hudOpen);
  if (!open) return null;
  return (
    <section className="panel hud hud-floating" aria-label="Performance" data-testid="hud-floating">
      <h2>Performance · this browser</h2>
      <HudFigures />
    </section>
  );
}
