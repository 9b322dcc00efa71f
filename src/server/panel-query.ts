// The query the panel routes (/api/bandwidth, /api/latency) take: a tenant and a window in
// seconds, at most the one-second samples the server keeps.
import { TENANT_ID_SOURCE } from '../core/tenant-id';
import { MAX_BANDWIDTH_SAMPLES } from './metrics';

export interface PanelQuery {
  tenant: string;
  window?: number;
}

export const DEFAULT_PANEL_WINDOW_S = 60;

export const PANEL_QUERY_SCHEMA = {
  type: 'object',
  required: ['tenant'],
  additionalProperties: false,
  properties: {
    tenant: { type: 'string', pattern: TENANT_ID_SOURCE },
    window: {
      type: 'integer',
      minimum: 5,
      maximum: MAX_BANDWIDTH_SAMPLES,
      default: DEFAULT_PANEL_WINDOW_S,
    },
  },
} as const;
