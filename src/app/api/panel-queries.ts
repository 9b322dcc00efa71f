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

/** Frame latency p95 per second over the last minute, against the tenant's SLO. */
export function latencyQuery(api: ApiClient, tenant: string | null) {
  return queryOptions({
    queryKey: ['latency', tenant, api.tokenKey],
    queryFn: () =>
      api.get<LatencyReport>(`/api/latency?tenant=${encodeURIComponent(tenant ?? '')}&window=60`),
    enabled: tenant !== null,
    refetchInterval: 1000,
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
    refetchInterval: 500,
    placeholderData: keepPreviousData,
  });
}
