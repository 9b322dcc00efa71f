// GET /api/tenants and /api/tenants/{id} (docs/API.md): written by the server, read by the tenant
// switcher, the CLI and the tests.
export interface TenantSummary {
  id: string;
  name: string;
  visibility: 'public' | 'private';
  width: number;
  height: number;
  source: 'replay' | 'live';
  sloMs: number;
  /** Spins below which the app draws on the CPU canvas: the tenant's own, else the server's. */
  gpuThreshold: number;
  /** Which applied: `tenant` (its setting) or `server` (--gpu-threshold, default 5000). */
  gpuThresholdSource: 'tenant' | 'server';
}

/** GET /api/tenants: the tenants the caller may see. */
export interface TenantList {
  tenants: TenantSummary[];
}

/** One Prometheus series of the tenant, its tenant_id label left out. */
export interface TenantMetricValue {
  name: string;
  labels: Record<string, string | number>;
  value: number;
}

/** GET /api/tenants/{id}/metrics: what an operator of the tenant may see of /metrics, as JSON. */
export interface TenantMetrics {
  tenant: string;
  /** null when the server has no stream for the tenant. */
  stream: { running: boolean; subscribers: number; framesProduced: number } | null;
  /** Only metrics with at least one series of this tenant. */
  metrics: { name: string; type: string; values: TenantMetricValue[] }[];
}
