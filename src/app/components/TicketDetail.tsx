import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Ticket, TicketEvent } from '../../core/api/tickets';
import type { Outcome } from '../../core/api/vocabulary';
import { ApiError } from '../api/client';
import { RcaSection } from './RcaSection';
import { sessionQuery } from '../api/launch-queries';
import { useActions, useApi, useUi } from '../shell/hooks';
import { currentTenant } from '../state/ui-store';
import { formatDuration, formatTime, linkParts } from '../tickets/format';
import {
  changeErrorText,
  ticketChangeMutation,
  ticketQuery,
  type TicketChange,
} from '../tickets/queries';
import { ticketWriteAccess } from '../tickets/write-access';

const ACTOR_KEY = 'phase-console.actor';

/** The name that acts (acknowledges, resolves, notes), kept for this tab like the token. */
function loadActor(): string {
  try {
    return sessionStorage.getItem(ACTOR_KEY) ?? '';
  } catch {
    return '';
  }
}

function saveActor(name: string): void {
  try {
    sessionStorage.setItem(ACTOR_KEY, name);
  } catch {
    // Storage blocked (sandboxed iframe): the name lasts as long as the page.
  }
}

const EVENT_LABELS: Record<TicketEvent['kind'], string> = {
  opened: 'opened',
  deduplicated: 'reported again',
  acknowledged: 'acknowledged',
  noted: 'note',
  resolved: 'resolved',
  reopened: 'reopened',
};

/** Text with its web addresses (an alert's Prometheus graph) as links that open in a new tab. */
export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkParts(text).map((part, i) =>
        'href' in part ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.href}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

/** Whether the console learned of the ticket later than the incident began (an alert's webhook). */
function receivedLater(t: Ticket): boolean {
  return Date.parse(t.receivedAt) - Date.parse(t.openedAt) >= 1000;
}

function Fields({ t }: { t: Ticket }) {
  const rows: [string, string][] = [
    ['tenant', `${t.tenant} (${t.visibility})`],
    ['severity', t.severity],
    ['status', t.status],
    ['source', t.source],
    ['opened', formatTime(t.openedAt)],
    [
      'received',
      receivedLater(t)
        ? `${formatTime(t.receivedAt)} (${t.source === 'alertmanager' ? 'the webhook arrived' : 'recorded'} ${formatDuration((Date.parse(t.receivedAt) - Date.parse(t.openedAt)) / 1000)} later)`
        : formatTime(t.receivedAt),
    ],
    ['acknowledged', formatTime(t.acknowledgedAt)],
    ['resolved', formatTime(t.resolvedAt)],
    ['resolved by', t.resolvedBy ?? '–'],
    ['outcome', t.outcome?.replace('_', ' ') ?? '–'],
    ['time to resolve', formatDuration(t.resolutionSeconds)],
    ['reopened', `${t.reopenCount} times`],
    ['notes', String(t.noteCount)],
    ['fingerprint', t.fingerprint],
  ];
  return (
    <dl className="ticket-fields" data-testid="ticket-fields">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd data-field={name}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The ticket's events, oldest first. The opening shows when the incident began (the time the list
 * and MTTR use) and, when later, when the console received it: an alert's start and its webhook's
 * arrival are two times, both named.
 */
function Timeline({ t, events }: { t: Ticket; events: TicketEvent[] }) {
  const firstOpened = events.find((e) => e.kind === 'opened');
  return (
    <ol className="timeline" data-testid="ticket-timeline">
      {events.map((e) => {
        const opening = e === firstOpened && receivedLater(t);
        return (
          <li key={e.id} data-kind={e.kind}>
            <time dateTime={opening ? t.openedAt : e.at} className="num">
              {formatTime(opening ? t.openedAt : e.at)}
            </time>{' '}
            <strong>{opening ? 'opened: incident began' : EVENT_LABELS[e.kind]}</strong>
            {e.actor && <span className="muted"> by {e.actor}</span>}
            {opening && (
              <span className="timeline-received" data-testid="timeline-received">
                {' '}
                · received{' '}
                <time dateTime={e.at} className="num">
                  {formatTime(e.at)}
                </time>
                {t.source === 'alertmanager' ? ' (webhook arrival)' : ''}
              </span>
            )}
            {e.detail && (
              <p className="timeline-detail">
                <LinkedText text={e.detail} />
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function Changes({ t }: { t: Ticket }) {
  const signedIn = useUi((s) => s.token !== null);
  const api = useApi();
  const change = useMutation(ticketChangeMutation(api, useQueryClient(), t.id));
  // What the token may change, asked before the operator tries: refused controls are disabled
  // with the reason, rather than answered 403 after submitting.
  const session = useQuery(sessionQuery(api));
  const access = ticketWriteAccess(session.isError ? null : session.data, t.tenant);
  const tokenName = session.data?.token?.name ?? null;
  const refused = access.allowed ? undefined : access.reason;
  const reasonId = `ticket-write-reason-${t.id}`;
  const described = access.allowed ? undefined : reasonId;
  const [by, setBy] = useState(loadActor);
  const [outcome, setOutcome] = useState<Outcome>('true_positive');
  const [resolveNote, setResolveNote] = useState('');
  const [note, setNote] = useState('');
  const resolved = t.status === 'resolved';
  const run = (c: TicketChange, after?: () => void): void => {
    if (!access.allowed) return;
    saveActor(by.trim());
    change.mutate(c, { onSuccess: after });
  };
  const submitNote = (e: FormEvent): void => {
    e.preventDefault();
    if (note.trim() !== '') run({ kind: 'note', by, text: note }, () => setNote(''));
  };
  const submitResolve = (e: FormEvent): void => {
    e.preventDefault();
    run({ kind: 'resolve', by, outcome, note: resolveNote }, () => setResolveNote(''));
  };
  return (
    <div className="ticket-changes">
      {!access.allowed && (
        <p
          id={reasonId}
          className="muted"
          data-testid="ticket-write-reason"
          data-reason={access.testReason}
          role="status"
        >
          {access.reason}
        </p>
      )}
      {tokenName !== null ? (
        // The server records a signed-in operator's changes under the token's name.
        <p className="ticket-by muted" data-testid="ticket-acting-as">
          acting as <strong>{tokenName}</strong>
        </p>
      ) : (
        // Only a server started with open writes takes changes without a token: it records
        // the name given here.
        <label className="ticket-by">
          your name{' '}
          <input
            value={by}
            maxLength={100}
            onChange={(e) => setBy(e.target.value)}
            placeholder="who acts"
            data-testid="ticket-by"
          />
        </label>
      )}
      {!resolved && (
        <div className="ticket-buttons">
          <button
            type="button"
            data-testid="ticket-ack"
            disabled={!access.allowed || change.isPending || t.status !== 'open'}
            title={refused}
            aria-describedby={described}
            onClick={() => run({ kind: 'ack', by })}
          >
            Acknowledge
          </button>
        </div>
      )}
      {!resolved && (
        <form className="ticket-resolve" onSubmit={submitResolve}>
          <fieldset>
            <legend>Resolve</legend>
            <label>
              <input
                type="radio"
                name="outcome"
                checked={outcome === 'true_positive'}
                onChange={() => setOutcome('true_positive')}
              />{' '}
              true positive (worth raising)
            </label>
            <label>
              <input
                type="radio"
                name="outcome"
                checked={outcome === 'false_positive'}
                onChange={() => setOutcome('false_positive')}
                data-testid="ticket-false-positive"
              />{' '}
              false positive
            </label>
            <input
              value={resolveNote}
              maxLength={10_000}
              onChange={(e) => setResolveNote(e.target.value)}
              placeholder="what fixed it (optional)"
              aria-label="Resolution note"
            />
            <button
              type="submit"
              data-testid="ticket-resolve"
              disabled={!access.allowed || change.isPending}
              title={refused}
              aria-describedby={described}
            >
              Resolve
            </button>
          </fieldset>
        </form>
      )}
      <form className="ticket-note" onSubmit={submitNote}>
        <textarea
          value={note}
          maxLength={10_000}
          rows={2}
          onChange={(e) => setNote(e.target.value)}
          placeholder="add a note to the timeline"
          aria-label="Note"
          data-testid="ticket-note-text"
        />
        <button
          type="submit"
          data-testid="ticket-note"
          disabled={!access.allowed || change.isPending || note.trim() === ''}
          title={refused}
          aria-describedby={described}
        >
          Add note
        </button>
      </form>
      {change.isError && (
        <p className="error" role="alert" data-testid="ticket-change-error">
          {changeErrorText(change.error, t.tenant, signedIn)}
        </p>
      )}
    </div>
  );
}

/** One ticket: every field, the timeline, and what an operator can do about it. */
export function TicketDetail({ id }: { id: number }) {
  const actions = useActions();
  const tenant = useUi(currentTenant);
  const query = useQuery(ticketQuery(useApi(), id, tenant));
  const detail = query.data;
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  return (
    <section
      className="panel ticket-detail"
      aria-label={`Ticket ${id}`}
      data-testid="ticket-detail"
    >
      <div className="tickets-bar">
        <button
          type="button"
          className="tickets-back"
          data-testid="ticket-close"
          onClick={() => actions.closeTicket()}
        >
          ← Tickets
        </button>
        <h2>Ticket {id}</h2>
      </div>
      {query.isPending && <p className="muted">Loading…</p>}
      {notFound && (
        <p className="error" data-testid="ticket-missing">
          No ticket {id} among those you may see (a private tenant needs a token that grants it).
        </p>
      )}
      {query.isError && !notFound && (
        <p className="error">
          Could not load ticket {id}: {query.error.message}
        </p>
      )}
      {detail && (
        <>
          <h3
            className={`ticket-title severity-${detail.ticket.severity}`}
            data-testid="ticket-title"
          >
            {detail.ticket.title}
          </h3>
          {detail.ticket.summary && (
            <p className="ticket-summary">
              <LinkedText text={detail.ticket.summary} />
            </p>
          )}
          <div className="ticket-columns">
            <Fields t={detail.ticket} />
            <div>
              <h3>Timeline</h3>
              <Timeline t={detail.ticket} events={detail.events} />
            </div>
          </div>
          <Changes key={detail.ticket.id} t={detail.ticket} />
          <RcaSection key={`rca-${detail.ticket.id}`} ticket={detail.ticket} />
        </>
      )}
    </section>
  );
}
