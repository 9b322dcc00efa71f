// react-query definitions of a ticket's RCA, the caller's session (what it may change) and the
// effectiveness report. Keys hold the tenant and the token generation like every Kaizen query, and
// start with the Kaizen prefix, so a ticket change refetches them too. A draft being written is
// polled each second until it is in; otherwise the RCA changes only when people act.
import { mutationOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Rca, RcaEffectiveness } from '../../core/api/rca';
import type { SessionInfo } from '../../core/api/session';
import { ApiError, type ApiClient } from '../api/client';

const KAIZEN = 'kaizen';
export const RCA_DRAFTING_POLL_MS = 1000;
export const EFFECTIVENESS_REFETCH_MS = 60_000;

/** The ticket's RCA; null when it has none yet (the API's 404 for a ticket one may see). */
export function rcaQuery(api: ApiClient, ticketId: number, tenant: string | null) {
  return queryOptions({
    queryKey: [KAIZEN, 'rca', tenant, ticketId, api.tokenKey],
    queryFn: async (): Promise<Rca | null> => {
      try {
        return await api.get<Rca>(`/api/tickets/${ticketId}/rca`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    refetchInterval: (query) =>
      query.state.data?.status === 'drafting' ? RCA_DRAFTING_POLL_MS : false,
  });
}

export function rcaEffectivenessQuery(api: ApiClient, tenant: string | null, windowName: string) {
  return queryOptions({
    queryKey: [KAIZEN, 'rca-effectiveness', tenant, windowName, api.tokenKey],
    queryFn: () =>
      api.get<RcaEffectiveness>(
        `/api/rca/effectiveness?tenant=${encodeURIComponent(tenant ?? '')}&window=${encodeURIComponent(windowName)}`,
      ),
    enabled: tenant !== null,
    refetchInterval: EFFECTIVENESS_REFETCH_MS,
  });
}

export type RcaChange =
  | { kind: 'draft' }
  | { kind: 'edit'; markdown: string; baseVersion: number }
  | { kind: 'approve'; version: number; reason: string }
  | { kind: 'reject'; version: number; reason: string };

/** Draft, edit, approve or reject; the answer is the RCA as it now is. */
export function rcaChangeMutation(api: ApiClient, queries: QueryClient, ticketId: number) {
  const path = `/api/tickets/${ticketId}/rca`;
  return mutationOptions({
    mutationFn: (change: RcaChange): Promise<Rca> => {
      switch (change.kind) {
        case 'draft':
          return api.send<Rca>('POST', path, {});
        case 'edit':
          return api.send<Rca>('PUT', path, {
            markdown: change.markdown,
            baseVersion: change.baseVersion,
          });
        case 'approve':
          return api.send<Rca>('POST', `${path}/approve`, {
            version: change.version,
            ...(change.reason.trim() === '' ? {} : { reason: change.reason.trim() }),
          });
        case 'reject':
          return api.send<Rca>('POST', `${path}/reject`, {
            version: change.version,
            reason: change.reason.trim(),
          });
      }
    },
    // After a refusal too: a 409 means someone else changed it, and the editor shows what is there now.
    onSettled: () => queries.invalidateQueries({ queryKey: [KAIZEN] }),
  });
}

/**
 * Why the caller may not change this tenant's RCAs, in the operator's terms; null when it may.
 * Read from GET /api/session, so the controls say so before anyone tries.
 */
export function rcaWriteRefusal(session: SessionInfo | undefined, tenant: string): string | null {
  if (session === undefined) return 'Checking what your token may do…';
  if (session.write.includes(tenant)) return null;
  if (session.token === null) {
    return `Read only: sign in with an operator token that grants tenant “${tenant}” to edit or review this RCA.`;
  }
  if (session.token.role === 'viewer') {
    return `Read only: token “${session.token.name}” is a viewer; editing and reviewing RCAs needs an operator.`;
  }
  return `Read only: token “${session.token.name}” does not grant tenant “${tenant}”.`;
}
