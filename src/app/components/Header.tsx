import { describeStreamHealth, streamHealth } from '../frames/stream-health';
import { useUi } from '../shell/hooks';
import { TenantSwitcher, TokenControl } from './TenantSwitcher';

function connectionLabel(state: string, retryInMs: number | null, reason: string | null): string {
  switch (state) {
    case 'open':
      return 'streaming';
    case 'connecting':
      return 'connecting…';
    case 'reconnecting':
      return retryInMs !== null
        ? `reconnecting in ${(retryInMs / 1000).toFixed(1)} s${reason ? ` (${reason})` : ''}`
        : 'reconnecting…';
    default:
      return reason ? `disconnected (${reason})` : 'disconnected';
  }
}

/** Says when the picture is not current: no frames while some are due, or frames arriving late. */
function StreamHealthNotice() {
  const text = useUi((s) =>
    describeStreamHealth(
      streamHealth({
        connection: s.connection.state,
        framesExpected: s.playback === null || s.playback.live || s.playback.playing,
        lastFrameAgeMs: s.hud.lastFrameAgeMs,
        intervalMs: (s.stream?.intervalUs ?? 16_667) / 1000,
        latencyMsP95: s.hud.latencyMsP95,
      }),
    ),
  );
  if (text === null) return null;
  return (
    <span className="pill pill-warning" data-testid="stream-health" role="alert">
      {text}
    </span>
  );
}

export function Header() {
  const stream = useUi((s) => s.stream);
  const connection = useUi((s) => s.connection);
  const renderMode = useUi((s) => s.renderMode);
  const renderReason = useUi((s) => s.renderReason);
  return (
    <header className="app-header">
      <h1>Phase console</h1>
      <TenantSwitcher />
      <TokenControl />
      {stream && (
        <span className="stream-info" data-testid="stream-info">
          {stream.tenant} · {stream.width}×{stream.height} ={' '}
          {(stream.width * stream.height).toLocaleString('en-US')} spins · {stream.source}
        </span>
      )}
      <span className={`pill pill-${connection.state}`} data-testid="connection" role="status">
        {connectionLabel(connection.state, connection.retryInMs, connection.reason)}
      </span>
      <StreamHealthNotice />
      <span className={`badge badge-${renderMode}`} data-testid="render-badge" title={renderReason}>
        {renderMode.toUpperCase()}
      </span>
    </header>
  );
}
