import { useState } from 'react';
import type { Rca } from '../../core/api/rca';
import { formatTime } from '../tickets/format';
import { Markdown } from './LazyMarkdown';

/** Every version and review of the RCA, oldest first; any version opens to its text. */
export function RcaHistory({ rca }: { rca: Rca }) {
  const [shown, setShown] = useState<number | null>(null);
  const version = rca.versions.find((v) => v.version === shown);
  return (
    <details className="rca-history" data-testid="rca-versions">
      <summary>
        {rca.versions.length} versions, {rca.reviews.length} reviews
      </summary>
      <ol>
        {rca.versions.map((v) => (
          <li key={v.version} data-version={v.version}>
            <button type="button" className="link" onClick={() => setShown(v.version)}>
              v{v.version}
            </button>{' '}
            revision {v.revision} ·{' '}
            {v.kind === 'draft' ? `draft by ${v.engine}` : `edit by ${v.author}`} ·{' '}
            <time dateTime={v.at}>{formatTime(v.at)}</time>
            {rca.reviews
              .filter((r) => r.version === v.version)
              .map((r) => (
                <span key={r.revision} className={r.outcome === 'approved' ? 'ok' : 'error'}>
                  {' '}
                  · {r.outcome} by {r.by}
                  {r.reason ? `: ${r.reason}` : ''}
                  {r.editDistanceRatio !== null
                    ? ` (${Math.round(r.editDistanceRatio * 100)} % of the draft's words changed)`
                    : ''}
                </span>
              ))}
          </li>
        ))}
      </ol>
      {version && (
        <div className="rca-version-text" data-testid="rca-version-text">
          <p className="muted">Version {version.version}:</p>
          <Markdown text={version.markdown} />
        </div>
      )}
    </details>
  );
}
