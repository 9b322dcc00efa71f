// The query the panel routes (/api/bandwidth, /api/latency) take: a tenant and a window in
// seconds, up to the week the panel history serves (server/panel-history.ts).
import { TENANT_ID_SOURCE } from '../core/tenant-id';
import { MAX_HISTORY_WINDOW_S } from './panel-history';

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
      maximum: MAX_HISTORY_WINDOW_S,
      default: DEFAULT_PANEL_WINDOW_S,
    },
  },
} as const;
