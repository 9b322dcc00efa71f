// Alertmanager's webhook (payload version 4) into tickets: a firing alert opens, deduplicates
// into or reopens the ticket of its fingerprint; a resolved one resolves it. One request is one
// transaction, so a failure leaves nothing of it behind.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AlertmanagerResult } from '../../core/api/alertmanager';
import type { TicketFiling } from '../state/tickets';
import type { Kaizen } from './kaizen';
import { TicketError } from './store';
import { MAX_NOTE_CHARS, MAX_TITLE_CHARS, type Severity } from './types';

/** The part of the payload used here (the schema in schemas.ts checks the whole). */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: { alertname: string; severity: Severity; tenant_id?: string } & Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
}

export interface AlertmanagerPayload {
  version: '4';
  status: 'firing' | 'resolved';
  receiver?: string;
  alerts: AlertmanagerAlert[];
}

export const ALERTMANAGER_ACTOR = 'alertmanager';

/** Alertmanager's fingerprint, or one of the same kind (labels hashed) when it sent none. */
export function alertFingerprint(alert: AlertmanagerAlert): string {
  if (alert.fingerprint) return `alertmanager:${alert.fingerprint}`;
  const labels = Object.entries(alert.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = createHash('sha256').update(JSON.stringify(labels)).digest('hex');
  return `alertmanager:${digest.slice(0, 16)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** ms since the epoch, or undefined for Alertmanager's "unset" zero time and unparsable text. */
function alertTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * Files the payload's alerts, all or nothing. An alert for a tenant the console does not have is
 * refused (400), not filed under a name someone may create later; past a tenant's ticket burst
 * allowance nothing is stored (TicketBurstError, 429).
 */
export async function receiveAlerts(
  kaizen: Kaizen,
  payload: AlertmanagerPayload,
): Promise<AlertmanagerResult> {
  payload.alerts.forEach((alert, i) => {
    const tenantId = alert.labels.tenant_id ?? kaizen.config.defaultTenant;
    if (!kaizen.hasTenant(tenantId)) {
      const where = alert.labels.tenant_id === undefined ? ' (the default tenant)' : '';
      throw new TicketError(
        'invalid',
        `body.alerts[${i}].labels.tenant_id ${JSON.stringify(tenantId.slice(0, 64))}${where} ` +
          'is not a tenant of this console; no alert of the request was filed',
      );
    }
  });
  const result: AlertmanagerResult = {
    received: payload.alerts.length,
    opened: 0,
    deduplicated: 0,
    reopened: 0,
    resolved: 0,
    ignored: 0,
  };
  const filings = payload.alerts.map((alert): TicketFiling => {
    const tenantId = alert.labels.tenant_id ?? kaizen.config.defaultTenant;
    const fingerprint = alertFingerprint(alert);
    if (alert.status !== 'firing') {
      return {
        kind: 'resolve',
        tenantId,
        fingerprint,
        input: {
          detail: `resolved in Alertmanager (${alert.labels.alertname})`,
          atMs: alertTime(alert.endsAt),
        },
      };
    }
    const annotations = alert.annotations ?? {};
    const title = annotations.summary ?? `${alert.labels.alertname} (${tenantId})`;
    return {
      kind: 'open',
      input: {
        tenantId,
        visibility: kaizen.visibilityOf(tenantId),
        title: clip(title, MAX_TITLE_CHARS),
        severity: alert.labels.severity,
        source: 'alertmanager',
        fingerprint,
        summary: clip(annotations.description ?? '', MAX_NOTE_CHARS),
        actor: ALERTMANAGER_ACTOR,
        detail: clip(
          [`alertname=${alert.labels.alertname}`, alert.generatorURL].filter(Boolean).join(' '),
          MAX_NOTE_CHARS,
        ),
        // MTTR measures the incident, which began when the alert did, not when it reached us.
        atMs: alertTime(alert.startsAt),
      },
    };
  });
  // Every gateway of a cluster gets the same webhook (as Alertmanager HA sends it): the filing
  // is idempotent by fingerprint, so one ticket results and the others deduplicate into it.
  for (const { outcome } of await kaizen.ticketBurst.file(kaizen.tickets, filings)) {
    result[outcome] += 1;
  }
  return result;
}

/** Constant-time comparison of an Authorization header with `Bearer TOKEN`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
