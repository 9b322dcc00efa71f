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
}
