import { useUi } from '../shell/hooks';
import { formatBytes } from './format';

const milliseconds = (value: number | null): string =>
  value === null ? '–' : `${value.toFixed(2)} ms`;

/**
 * Performance HUD; its figures refresh a few times a second, never per frame. Its latencies are
 * this page's (a frame's way from the server to the decoder, and on to the screen), not the
 * tenant's p95 over all its viewers that the latency panel shows.
 */
export function Hud({ floating = false }: { floating?: boolean }) {
  const hud = useUi((s) => s.hud);
  const renderMode = useUi((s) => s.renderMode);
  const rows: [string, string][] = [
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
    ['frame', hud.frameIndex >= 0 ? String(hud.frameIndex) : '–'],
    ['renderer', renderMode.toUpperCase()],
  ];
  return (
    <section
      className={`panel hud${floating ? ' hud-floating' : ''}`}
      aria-label="Performance"
      data-testid={floating ? 'hud-floating' : 'hud'}
    >
      <h2>Performance</h2>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The HUD as an overlay over any view, toggled with H. */
export function FloatingHud() {
  const open = useUi((s) => s.hudOpen);
  return open ? <Hud floating /> : null;
}
