// react-query definitions of the Kaizen API, as options factories that take the API client (the
// components call useQuery / useInfiniteQuery / useMutation with them). Every key holds the tenant
// and the token generation, so nothing fetched under one tenant or token shows under another.
// Polling is slow on purpose: tickets change in minutes, and the first screen's frame budget
// belongs to the heatmap.
import {
  infiniteQueryOptions,
  mutationOptions,
  queryOptions,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import type {
  MttrReport,
  Ticket,
  TicketDetail,
  TicketEvent,
  TicketPage,
} from '../../core/api/tickets';
import type { Outcome } from '../../core/api/vocabulary';
import { ApiError, type ApiClient } from '../api/client';
import { ticketListApiPath, type TicketFilters } from './filters';

export const MTTR_REFETCH_MS = 15_000;
export const TICKETS_REFETCH_MS = 30_000;
export const TICKET_PAGE_SIZE = 50;

/** The first part of every Kaizen query key: a change refetches them all. */
const KAIZEN = 'kaizen';

export function mttrQuery(api: ApiClient, tenant: string | null, windowName: string) {
  return queryOptions({
    queryKey: [KAIZEN, 'mttr', tenant, windowName, api.tokenKey],
    queryFn: () =>
      api.get<MttrReport>(
        `/api/mttr?tenant=${encodeURIComponent(tenant ?? '')}&window=${encodeURIComponent(windowName)}`,
      ),
    enabled: tenant !== null,
    refetchInterval: MTTR_REFETCH_MS,
  });
}

/** The list, page by page along the API's cursor. `enabled` false while the tenant is unknown. */
export function ticketListQuery(api: ApiClient, filters: TicketFilters, enabled: boolean) {
  return infiniteQueryOptions({
    queryKey: [KAIZEN, 'tickets', filters.tenant, filters, api.tokenKey],
    queryFn: ({ pageParam }) =>
      api.get<TicketPage>(
        ticketListApiPath(filters, { limit: TICKET_PAGE_SIZE, cursor: pageParam }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
    refetchInterval: TICKETS_REFETCH_MS,
  });
}

/** Tickets drawn on the charts and the replay timeline: the tenant's, opened in the range. */
export const ANNOTATION_LIMIT = 200;

export function annotationTicketsQuery(api: ApiClient, tenant: string | null, range: string) {
  return queryOptions({
    queryKey: [KAIZEN, 'annotations', tenant, range, api.tokenKey],
    queryFn: () =>
      api.get<TicketPage>(
        `/api/tickets?tenant=${encodeURIComponent(tenant ?? '')}&window=${encodeURIComponent(range)}&limit=${ANNOTATION_LIMIT}`,
      ),
    enabled: tenant !== null,
    refetchInterval: MTTR_REFETCH_MS,
    select: (page) => page.tickets,
  });
}

export function ticketQuery(api: ApiClient, id: number, tenant: string | null) {
  return queryOptions({
    queryKey: [KAIZEN, 'ticket', tenant, id, api.tokenKey],
    queryFn: () => api.get<TicketDetail>(`/api/tickets/${id}`),
    refetchInterval: MTTR_REFETCH_MS,
    // A ticket the caller may not see is 404 now and later: asking again only delays the answer.
    retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
  });
}

export type TicketChange =
  | { kind: 'ack'; by: string }
  | { kind: 'resolve'; by: string; outcome: Outcome; note: string }
  | { kind: 'note'; by: string; text: string };

/** Acknowledge, resolve or note a ticket; on success every Kaizen figure and list is refetched. */
export function ticketChangeMutation(api: ApiClient, queries: QueryClient, id: number) {
  return mutationOptions({
    mutationFn: (change: TicketChange): Promise<Ticket | TicketEvent> => {
      const by = change.by.trim() === '' ? {} : { by: change.by.trim() };
      switch (change.kind) {
        case 'ack':
          return api.send<Ticket>('POST', `/api/tickets/${id}/ack`, by);
        case 'resolve':
          return api.send<Ticket>('POST', `/api/tickets/${id}/resolve`, {
            ...by,
            outcome: change.outcome,
            ...(change.note.trim() === '' ? {} : { note: change.note }),
          });
        case 'note':
          return api.send<TicketEvent>('POST', `/api/tickets/${id}/notes`, {
            ...by,
            text: change.text,
          });
      }
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: [KAIZEN] satisfies QueryKey }),
  });
}

/**
 * What went wrong with a change, in the operator's terms: which tenant a token must grant, rather
 * than a bare 403.
 */
export function changeErrorText(error: Error, tenant: string, signedIn: boolean): string {
  if (!(error instanceof ApiError)) return `Could not reach the server: ${error.message}`;
  // Anonymous changes are refused with 401 before the server reads them: sign in, as for a 403.
  if (error.status === 401 && signedIn)
    return `Your token was refused (${error.message}): sign in again with a valid one.`;
  if (error.status === 401 || error.status === 403)
    return signedIn
      ? `Your token does not grant tenant “${tenant}”: changing its tickets needs one that does.`
      : `Sign in with a token that grants tenant “${tenant}” to change its tickets.`;
  return error.message;
}
