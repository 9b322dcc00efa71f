// The stream state on screen: a badge (the header's, or the stage bar's in embed mode) and, while
// the picture is not current, a banner over the dimmed heatmap saying since when and what to do.
import { useEffect, useState } from 'react';
import { sinceText } from '../frames/stream-state';
import { useStreamState, useUi } from '../shell/hooks';

export function StreamStateBadge() {
  const s = useStreamState();
  return (
    <span
      className={`state-badge state-${s.state}`}
      data-testid="stream-state"
      data-state={s.state}
      data-since={s.sinceMs ?? ''}
      role="status"
      aria-label={`Stream: ${s.label.toLowerCase()}. ${s.message}`}
      title={s.message}
    >
      {s.label}
    </span>
  );
}

/** Re-renders once a second while shown, so "14 s ago" counts up. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Over the heatmap while the picture is not current: what happened, since when, what to do. */
export function StreamBanner() {
  const s = useStreamState();
  const embedded = useUi((state) => state.params.embed);
  const now = useNow(!s.current);
  if (s.current) return null;
  const signIn =
    s.state === 'unauthorized' &&
    (embedded ? ' The embedding host signs in by sending setToken.' : ' Use “token…” above.');
  return (
    <div className={`stream-banner banner-${s.state}`} data-testid="stream-banner" role="alert">
      <strong>{s.label}</strong> {s.message}
      {signIn || ''}
      {s.sinceMs !== null && (
        <span className="banner-since" data-testid="stream-since">
          {' '}
          Not current {sinceText(s.sinceMs, Math.max(now, s.sinceMs))}.
        </span>
      )}
    </div>
  );
}
