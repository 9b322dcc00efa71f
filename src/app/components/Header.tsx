import { useUi } from '../shell/hooks';
import { StreamStateBadge } from './StreamState';
import { TenantSwitcher, TokenControl } from './TenantSwitcher';

/** The render mode and why, next to the stream state: what draws, and whether it is current. */
export function RenderBadge() {
  const renderMode = useUi((s) => s.renderMode);
  const renderReason = useUi((s) => s.renderReason);
  return (
    <span className={`badge badge-${renderMode}`} data-testid="render-badge" title={renderReason}>
      {renderMode.toUpperCase()}
    </span>
  );
}

export function Header() {
  const stream = useUi((s) => s.stream);
  return (
    <header className="app-header">
      <h1>Phase console</h1>
      <TenantSwitcher />
      <TokenControl />
      <span className="stream-info" data-testid="stream-info">
        {stream && (
          <>
            {stream.tenant} · {stream.width}×{stream.height} ={' '}
            {(stream.width * stream.height).toLocaleString('en-US')} spins · {stream.source}
          </>
        )}
      </span>
      <StreamStateBadge />
      <RenderBadge />
    </header>
  );
}
