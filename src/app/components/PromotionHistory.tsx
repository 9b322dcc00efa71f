import { useQuery } from '@tanstack/react-query';
import type { AuditPage } from '../../core/api/policy';
import { POLICY_KEY, promotionsQuery } from '../api/policy-queries';
import { useApi } from '../shell/hooks';

/** The tenant's recent promotions and, for an admin, the newest audit rows with their hashes. */
export function PromotionHistory({ tenant, admin }: { tenant: string; admin: boolean }) {
  const api = useApi();
  const promotions = useQuery(promotionsQuery(api, tenant));
  const audit = useQuery({
    queryKey: [POLICY_KEY, 'audit', api.tokenKey],
    queryFn: () => api.get<AuditPage>('/api/audit?limit=10'),
    enabled: admin,
  });
  const list = promotions.data?.promotions ?? [];
  return (
    <section className="panel" aria-label="Promotions" data-testid="policy-history">
      <h2>Promotions of {tenant}</h2>
      {promotions.isPending && <p className="muted">Loading…</p>}
      {promotions.isError && <p className="error">{promotions.error.message}</p>}
      {promotions.isSuccess && list.length === 0 && <p className="muted">None yet.</p>}
      <ul>
        {list.map((p) => (
          <li key={p.id}>
            #{p.id} {p.createdAt.slice(0, 19).replace('T', ' ')} {JSON.stringify(p.change)}:{' '}
            <span className={p.status === 'denied' ? 'error' : 'ok'}>{p.status}</span>
            {p.deciding.length > 0 && ` (${p.deciding.map((d) => d.id).join(', ')})`}
            {p.override && ` · overridden by ${p.override.by}: ${p.override.reason}`}
          </li>
        ))}
      </ul>
      {admin && audit.data && (
        <>
          <h3>Audit log</h3>
          <p className="muted">
            Head{' '}
            {audit.data.head
              ? `${audit.data.head.seq} ${audit.data.head.hash.slice(0, 16)}…`
              : 'none'}{' '}
            (npm run admin -- audit verify checks the chain)
          </p>
          <ul data-testid="policy-audit">
            {audit.data.entries.map((e) => (
              <li key={e.seq}>
                {e.seq} {e.kind} {e.tenant} {e.decision} by {e.actor} · {e.hash.slice(0, 12)}
              </li>
            ))}
          </ul>
        </>
      )}
      {admin && audit.isError && <p className="error">{audit.error.message}</p>}
    </section>
  );
}
