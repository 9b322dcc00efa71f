// react-query definitions of the launch tooling (docs/API.md, "The launch tooling") and of the
// caller's session: observer mode for the banner, the decision gates, baselines and their
// comparison with now, and the browser reports operators read. Every key holds the token
// generation, so nothing fetched under one token shows under another.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { BaselineComparison, BaselineList } from '../../core/api/baselines';
import type { ClientReportList } from '../../core/api/client-reports';
import type { GatesReport } from '../../core/api/gates';
import type { ObserverStatus } from '../../core/api/observer';
import type { SessionInfo } from '../../core/api/session';
import { ApiError, type ApiClient } from './client';

/** Observer mode changes by hand, a few times a launch: a banner a few seconds late is fine. */
export const OBSERVER_REFETCH_MS = 5000;
/** The gates judge windows of 10 minutes and 24 hours: a refresh every 10 s is plenty. */
export const GATES_REFETCH_MS = 10_000;
export const CLIENT_REPORTS_REFETCH_MS = 15_000;
export const CLIENT_REPORTS_LIMIT = 50;

/** A refusal (401, 403, 404) stays one when asked again: retrying only delays saying so. */
const retryUnlessRefused = (failures: number, error: Error): boolean =>
  !(error instanceof ApiError && error.status < 500) && failures < 2;

/** Who the server takes the caller for: what the page may offer them to change. */
export function sessionQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ['session', api.tokenKey],
    queryFn: () => api.get<SessionInfo>('/api/session'),
    staleTime: 30_000,
    refetchInterval: 60_000,
    retry: retryUnlessRefused,
  });
}

export function observerQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ['observer', api.tokenKey],
    queryFn: () => api.get<ObserverStatus>('/api/observer'),
    refetchInterval: OBSERVER_REFETCH_MS,
  });
}

export function gatesQuery(api: ApiClient, enabled: boolean) {
  return queryOptions({
    queryKey: ['gates', api.tokenKey],
    queryFn: () => api.get<GatesReport>('/api/gates'),
    enabled,
    refetchInterval: GATES_REFETCH_MS,
    placeholderData: keepPreviousData,
  });
}

export function baselinesQuery(api: ApiClient, enabled: boolean) {
  return queryOptions({
    queryKey: ['baselines', api.tokenKey],
    queryFn: () => api.get<BaselineList>('/api/baselines'),
    enabled,
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

/** A baseline and the same figures over as long a window ending now. */
export function baselineComparisonQuery(api: ApiClient, name: string | null, enabled: boolean) {
  return queryOptions({
    queryKey: ['baseline-comparison', name, api.tokenKey],
    queryFn: () =>
      api.get<BaselineComparison>(`/api/baselines/${encodeURIComponent(name ?? '')}/comparison`),
    enabled: enabled && name !== null,
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
    retry: retryUnlessRefused,
  });
}

/** The browser reports of the range, newest first (an admin's token). */
export function clientReportsQuery(api: ApiClient, range: string, enabled: boolean) {
  return queryOptions({
    queryKey: ['client-reports', range, api.tokenKey],
    queryFn: () =>
      api.get<ClientReportList>(
        `/api/client-reports?window=${encodeURIComponent(range)}&limit=${CLIENT_REPORTS_LIMIT}`,
      ),
    enabled,
    refetchInterval: CLIENT_REPORTS_REFETCH_MS,
    placeholderData: keepPreviousData,
    retry: retryUnlessRefused,
  });
}
