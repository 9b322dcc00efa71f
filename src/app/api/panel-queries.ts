// react-query definitions of the side panels' figures and the tenant list. Each key holds the
// tenant and the token generation, so nothing fetched under one shows under another.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { BandwidthReport, LatencyReport } from '../../core/api/panels';
import type { TenantSummary } from '../../core/api/tenants';
import type { ApiClient } from './client';

/** The tenants this operator's token can see. */
export function tenantsQuery(api: ApiClient) {
  return queryOptions({
    queryKey: ['tenants', api.tokenKey],
    queryFn: () => api.get<{ tenants: TenantSummary[] }>('/api/tenants'),
    staleTime: 30_000,
  });
}

/** Refreshes of a panel over a range: every second up to an hour, more slowly beyond. */
function refreshMs(windowS: number): number {
  return windowS <= 3600 ? 1000 : windowS <= 86_400 ? 10_000 : 60_000;
}

/** The tenant's frame latency p95 over `windowS` seconds, with its SLO and verdict. */
export function latencyQuery(api: ApiClient, tenant: string | null, windowS: number) {
  return queryOptions({
    queryKey: ['latency', tenant, windowS, api.tokenKey],
    queryFn: () =>
      api.get<LatencyReport>(
        `/api/latency?tenant=${encodeURIComponent(tenant ?? '')}&window=${windowS}`,
      ),
    enabled: tenant !== null,
    refetchInterval: refreshMs(windowS),
    placeholderData: keepPreviousData,
  });
}

/** Bytes the delta protocol saves on the tenant's stream over `windowS` seconds. */
export function bandwidthQuery(api: ApiClient, tenant: string | null, windowS: number) {
  return queryOptions({
    queryKey: ['bandwidth', tenant, windowS, api.tokenKey],
    queryFn: () =>
      api.get<BandwidthReport>(
        `/api/bandwidth?tenant=${encodeURIComponent(tenant ?? '')}&window=${windowS}`,
      ),
    enabled: tenant !== null,
    refetchInterval: refreshMs(windowS),
    placeholderData: keepPreviousData,
  });
}
