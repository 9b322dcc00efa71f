import { useUi, type UiStore } from '../state/ui-store';
import { describeStreamHealth, streamHealth } from '../viz/stream-health';
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
function StreamHealthNotice({ store }: { store: UiStore }) {
  const text = useUi(store, (s) =>
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

export function Header({ store }: { store: UiStore }) {
  const stream = useUi(store, (s) => s.stream);
  const connection = useUi(store, (s) => s.connection);
  const renderMode = useUi(store, (s) => s.renderMode);
  const renderReason = useUi(store, (s) => s.renderReason);
  return (
    <header className="app-header">
      <h1>Phase console</h1>
      <TenantSwitcher store={store} />
      <TokenControl store={store} />
      {stream && (
        <span className="stream-info" data-testid="stream-info">
          {stream.tenant} · {stream.width}×{stream.height} ={' '}
          {(stream.width * stream.height).toLocaleString('en-US')} spins · {stream.source}
        </span>
      )}
      <span className={`pill pill-${connection.state}`} data-testid="connection" role="status">
        {connectionLabel(connection.state, connection.retryInMs, connection.reason)}
      </span>
      <StreamHealthNotice store={store} />
      <span className={`badge badge-${renderMode}`} data-testid="render-badge" title={renderReason}>
        {renderMode.toUpperCase()}
      </span>
    </header>
  );
}
