// An Alertmanager webhook body (version 4) with one firing alert of the demo tenant, as the cluster
// tests send it to several gateways at once.
import type { AlertmanagerPayload } from '../server/incidents/alertmanager';

export function firingAlert(fingerprint: string, summary: string): AlertmanagerPayload {
  return {
    version: '4',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'PhaseStreamStalled', severity: 'critical', tenant_id: 'demo' },
        annotations: { summary },
        startsAt: new Date().toISOString(),
        fingerprint,
      },
    ],
  };
}
