import { useUi, type UiStore } from '../state/ui-store';
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
      <span className={`badge badge-${renderMode}`} data-testid="render-badge" title={renderReason}>
        {renderMode.toUpperCase()}
      </span>
    </header>
  );
}
