import { useUi } from '../shell/hooks';
import { StreamStateBadge } from './StreamState';
import { TenantSwitcher, TokenControl } from './TenantSwitcher';

/**
 * The render mode and why, next to the stream state: what draws, by which GPU threshold (the
 * URL's, the tenant's or the server's), and whether it is current.
 */
export function RenderBadge() {
  const renderMode = useUi((s) => s.renderMode);
  const renderReason = useUi((s) => s.renderReason);
  const threshold = useUi((s) => s.gpuThreshold);
  return (
    <span
      className={`badge badge-${renderMode}`}
      data-testid="render-badge"
      data-threshold={threshold.spins}
      data-threshold-source={threshold.source}
      title={renderReason}
      role="img"
      aria-label={`Drawn on the ${renderMode.toUpperCase()}: ${renderReason}`}
    >
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
