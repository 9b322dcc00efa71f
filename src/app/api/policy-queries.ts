// react-query definitions of the policy view: the policy report of a tenant and its recent
// promotions (the caller's session is launch-queries.ts's sessionQuery). Keys hold the token generation.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { PolicyReport, PromotionList } from '../../core/api/policy';
import type { ApiClient } from './client';

export const POLICY_KEY = 'policy';

/** The bundle and today's figures of the tenant against it; live figures, so polled. */
export function policyReportQuery(api: ApiClient, tenant: string | null) {
  return queryOptions({
    queryKey: [POLICY_KEY, 'report', tenant, api.tokenKey],
    queryFn: () => api.get<PolicyReport>(`/api/policy?tenant=${encodeURIComponent(tenant ?? '')}`),
    enabled: tenant !== null,
    refetchInterval: 5000,
    // Signing in changes the key: the view (and a change being tried) stays while it refetches.
    placeholderData: keepPreviousData,
  });
}

export function promotionsQuery(api: ApiClient, tenant: string | null) {
  return queryOptions({
    queryKey: [POLICY_KEY, 'promotions', tenant, api.tokenKey],
    queryFn: () =>
      api.get<PromotionList>(`/api/promotions?tenant=${encodeURIComponent(tenant ?? '')}&limit=20`),
    enabled: tenant !== null,
  });
}
