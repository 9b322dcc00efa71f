import { useQuery } from '@tanstack/react-query';
import type { StreamInfo } from '../../core/wire/envelope';
import { fetchJson } from '../api';

/** The streams the server offers, from the REST API. */
export function StreamsPanel() {
  const query = useQuery({
    queryKey: ['streams'],
    queryFn: () => fetchJson<StreamInfo[]>('/api/streams'),
    staleTime: 30_000,
  });
  return (
    <section className="panel" aria-label="Streams">
      <h2>Streams</h2>
      {query.isPending && <p className="muted">Loading…</p>}
      {query.isError && <p className="error">Could not load streams: {query.error.message}</p>}
      {query.data && query.data.length === 0 && <p className="muted">No streams.</p>}
      {query.data && (
        <ul className="stream-list">
          {query.data.map((s) => (
            <li key={s.tenant}>
              <strong>{s.tenant}</strong> {s.width}×{s.height} · {s.source}
              {s.frameCount > 0 ? ` · ${s.frameCount} frames` : ''} ·{' '}
              {(1e6 / s.intervalUs).toFixed(0)} frames/s
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
