// What `GET /api/tenants` lists per tenant (docs/API.md): written by the server, read by the
// tenant switcher.
export interface TenantSummary {
  id: string;
  name: string;
  visibility: 'public' | 'private';
  width: number;
  height: number;
  source: 'replay' | 'live';
  sloMs: number;
}
