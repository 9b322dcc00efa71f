// Tickets and their timelines behind one asynchronous interface with two implementations: SQLite
// in the data directory (one process, the default) and PostgreSQL (a cluster of gateways sharing
// one database). Asynchronous because PostgreSQL's client is; the SQLite one answers at once.
// The semantics are the synchronous TicketStore's (incidents/store.ts), checked against both by
// one test suite (tickets.test.ts).
import type {
  OpenTicketInput,
  ResolveInput,
  ResolvedSample,
  TicketChange,
  TicketFilter,
  TicketRecordPage,
} from '../incidents/store';
import type {
  OpenResult,
  Severity,
  TicketEventRecord,
  TicketRecord,
  TicketRecordWithEvents,
  TicketStatus,
  Visibility,
} from '../incidents/types';

export type StateBackend = 'sqlite' | 'postgres';

export interface UnresolvedCount {
  tenantId: string;
  severity: Severity;
  status: TicketStatus;
  count: number;
}

/** One write of a batch: an opening (or deduplication, or reopening), or an incident's end. */
export type TicketFiling =
  | { kind: 'open'; input: OpenTicketInput }
  | {
      kind: 'resolve';
      tenantId: string;
      fingerprint: string;
      input: Omit<ResolveInput, 'by' | 'outcome'>;
    };

export interface FilingResult {
  /** What an opening did, `resolved`, or `ignored` for the end of an incident with no ticket. */
  outcome: OpenResult | 'resolved' | 'ignored';
  ticket: TicketRecord | undefined;
}

export interface TicketState {
  readonly backend: StateBackend;
  readonly reopenWindowMs: number;
  /**
   * Same tenant + fingerprint = same incident. Idempotent across the cluster: the same alert filed
   * through several gateways at once opens one ticket, the others deduplicate into it.
   */
  openOrDedup(input: OpenTicketInput): Promise<{ result: OpenResult; ticket: TicketRecord }>;
  acknowledge(id: number, actor: string): Promise<TicketRecord>;
  resolve(id: number, input: ResolveInput): Promise<TicketRecord>;
  /** Auto-resolves the unresolved ticket of this incident; undefined when there is none. */
  resolveIncident(
    tenantId: string,
    fingerprint: string,
    input: Omit<ResolveInput, 'by' | 'outcome'>,
  ): Promise<TicketRecord | undefined>;
  /**
   * Files the batch in order in one transaction: all of it or, when a filing fails or `onOpened`
   * (told of each ticket opened, a tenant's allowance) throws, none of it.
   */
  file(
    filings: readonly TicketFiling[],
    onOpened?: (tenantId: string) => void,
  ): Promise<FilingResult[]>;
  addNote(id: number, actor: string, text: string): Promise<TicketEventRecord>;
  get(id: number): Promise<TicketRecordWithEvents | undefined>;
  findUnresolved(tenantId: string, fingerprint: string): Promise<TicketRecord | undefined>;
  list(filter: TicketFilter, page: { limit: number; cursor?: string }): Promise<TicketRecordPage>;
  /** Tickets resolved in [fromMs, toMs], for MTTR. */
  resolvedBetween(
    filter: Pick<TicketFilter, 'tenants' | 'tenant'>,
    fromMs: number,
    toMs: number,
  ): Promise<ResolvedSample[]>;
  unresolvedCounts(): Promise<UnresolvedCount[]>;
  setTenantVisibility(tenantId: string, visibility: Visibility): Promise<number>;
  /**
   * Each committed change, once, after its commit. On PostgreSQL also the changes other gateways
   * commit (LISTEN/NOTIFY), so every gateway's live views follow the one database.
   */
  onChange(listener: (change: TicketChange) => void): () => void;
  close(): Promise<void>;
}
