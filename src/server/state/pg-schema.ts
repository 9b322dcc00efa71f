// The cluster's schema in PostgreSQL: the same state as the SQLite files of a single process
// (tenants, hashed tokens and their grants, tickets and their events, the notification outbox and
// the observer switch, the policy gate's promotions and audit chain) plus the audit rows. Released migrations are never edited: add one.
//
// Tickets and their events are partitioned by tenant (hash of tenant_id): a tenant's tickets and
// timelines live in one partition, every query of the routes names its tenants, and a noisy
// tenant's rows never bloat another's indexes. Hash, not list: tenants come and go at run time and
// a hash partition needs no DDL per tenant.
export interface PgMigration {
  /** 1, 2, 3... in order; never renumber or edit a released migration, add a new one. */
  version: number;
  description: string;
  sql: string;
}

export const TICKET_PARTITIONS = 16;

function hashPartitions(table: string): string {
  return Array.from(
    { length: TICKET_PARTITIONS },
    (_, i) =>
      `CREATE TABLE ${table}_p${i} PARTITION OF ${table}
         FOR VALUES WITH (MODULUS ${TICKET_PARTITIONS}, REMAINDER ${i});`,
  ).join('\n');
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'tenants, tokens (hashed) and their grants',
    sql: `
      CREATE TABLE tenants (
        tenant_id TEXT PRIMARY KEY CHECK (tenant_id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
        source JSONB NOT NULL,
        slo_latency_ms DOUBLE PRECISION NOT NULL DEFAULT 7 CHECK (slo_latency_ms > 0),
        gpu_threshold INTEGER CHECK (gpu_threshold IS NULL OR gpu_threshold BETWEEN 0 AND 16777216),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE tokens (
        token_id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        secret_sha256 BYTEA NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        revoked_at TIMESTAMPTZ
      );
      -- Grants name tenants without a foreign key, as in SQLite: replacing the tenant table never
      -- cascades into tokens (a grant to a missing tenant is inert).
      CREATE TABLE token_grants (
        token_id TEXT NOT NULL REFERENCES tokens (token_id) ON DELETE CASCADE,
        tenant_id TEXT NOT NULL,
        PRIMARY KEY (token_id, tenant_id)
      );
      CREATE INDEX token_grants_by_tenant ON token_grants (tenant_id);
      CREATE TABLE tenant_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    description: 'tickets and their event timeline, partitioned by tenant',
    sql: `
      CREATE SEQUENCE tickets_id_seq AS BIGINT;
      CREATE TABLE tickets (
        id BIGINT NOT NULL DEFAULT nextval('tickets_id_seq'),
        tenant_id TEXT NOT NULL,
        visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
        title TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('critical', 'error', 'warning', 'info')),
        source TEXT NOT NULL CHECK (source IN ('detector', 'alertmanager', 'manual')),
        fingerprint TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        opened_at BIGINT NOT NULL,
        acknowledged_at BIGINT,
        resolved_at BIGINT,
        resolved_by TEXT,
        outcome TEXT CHECK (outcome IN ('true_positive', 'false_positive')),
        summary TEXT NOT NULL DEFAULT '',
        reopen_count INTEGER NOT NULL DEFAULT 0,
        CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND resolved_by IS NOT NULL)),
        CHECK (outcome IS NULL OR status = 'resolved'),
        PRIMARY KEY (tenant_id, id)
      ) PARTITION BY HASH (tenant_id);
      ALTER SEQUENCE tickets_id_seq OWNED BY tickets.id;
      ${hashPartitions('tickets')}
      -- At most one unresolved ticket per incident, whichever gateway files it: the receiver's
      -- idempotence holds even against a bug.
      CREATE UNIQUE INDEX tickets_unresolved_incident
        ON tickets (tenant_id, fingerprint) WHERE status <> 'resolved';
      CREATE INDEX tickets_incident_resolved ON tickets (tenant_id, fingerprint, resolved_at);
      CREATE INDEX tickets_by_id ON tickets (id);
      CREATE INDEX tickets_opened ON tickets (opened_at, id);
      CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;

      CREATE SEQUENCE ticket_events_id_seq AS BIGINT;
      CREATE TABLE ticket_events (
        id BIGINT NOT NULL DEFAULT nextval('ticket_events_id_seq'),
        tenant_id TEXT NOT NULL,
        ticket_id BIGINT NOT NULL,
        at BIGINT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN
          ('opened', 'deduplicated', 'acknowledged', 'noted', 'resolved', 'reopened')),
        actor TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id) ON DELETE CASCADE
      ) PARTITION BY HASH (tenant_id);
      ALTER SEQUENCE ticket_events_id_seq OWNED BY ticket_events.id;
      ${hashPartitions('ticket_events')}
      CREATE INDEX ticket_events_ticket ON ticket_events (tenant_id, ticket_id, id);
    `,
  },
  {
    version: 3,
    description: 'notification outbox and the observer switch',
    sql: `
      CREATE TABLE notify_outbox (
        id BIGSERIAL PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN ('slack', 'pagerduty')),
        dedup_key TEXT NOT NULL,
        group_key TEXT NOT NULL,
        body JSONB NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        next_attempt_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until BIGINT,
        sent_at BIGINT,
        failed_at BIGINT,
        last_http_status INTEGER,
        last_error TEXT,
        UNIQUE (channel, dedup_key),
        CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CHECK ((status = 'failed') = (failed_at IS NOT NULL))
      );
      CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt_at, id) WHERE status = 'pending';
      CREATE INDEX notify_outbox_group ON notify_outbox (channel, group_key, id)
        WHERE status IN ('pending', 'held');
      CREATE TABLE notify_observer (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        enabled BOOLEAN NOT NULL,
        changed_at BIGINT NOT NULL,
        changed_by TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
      );
    `,
  },
  {
    version: 4,
    description: 'audit rows: who did what to which tenant, allowed or refused',
    sql: `
      CREATE TABLE audit_log (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        tenant_id TEXT,
        target TEXT NOT NULL DEFAULT '',
        decision TEXT NOT NULL CHECK (decision IN ('allowed', 'denied')),
        detail JSONB NOT NULL DEFAULT '{}'::jsonb
      );
      CREATE INDEX audit_log_tenant ON audit_log (tenant_id, at);
      CREATE INDEX audit_log_at ON audit_log (at);
    `,
  },
  {
    version: 5,
    description: "the policy gate's promotions and its hash-chained audit log, one for the cluster",
    // Text, not JSONB, for what is hashed or compared as written: JSONB would reorder keys and
    // drop the canonical form the chain's hashes cover. Times are the ISO text of the SQLite rows,
    // so both backends hash the same content.
    sql: `
      CREATE TABLE policy_promotions (
        id BIGSERIAL PRIMARY KEY,
        created_at TEXT NOT NULL,
        tenant TEXT NOT NULL,
        kind TEXT NOT NULL,
        change TEXT NOT NULL,
        "by" TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('allow', 'deny')),
        deciding TEXT NOT NULL,
        errors TEXT NOT NULL,
        figures TEXT NOT NULL,
        context TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('applied', 'denied', 'overridden')),
        override_by TEXT,
        override_reason TEXT,
        override_at TEXT
      );
      CREATE INDEX policy_promotions_tenant ON policy_promotions (tenant, id);
      CREATE TABLE policy_audit (
        seq BIGINT PRIMARY KEY CHECK (seq > 0),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        tenant TEXT NOT NULL,
        promotion_id BIGINT NOT NULL,
        decision TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      -- Append-only, as in SQLite: whoever drops the triggers to edit a row is caught by the chain.
      CREATE FUNCTION policy_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the policy audit log is append-only'; END $$;
      CREATE TRIGGER policy_audit_no_change BEFORE UPDATE OR DELETE ON policy_audit
        FOR EACH ROW EXECUTE FUNCTION policy_audit_append_only();
      CREATE TRIGGER policy_audit_no_truncate BEFORE TRUNCATE ON policy_audit
        FOR EACH STATEMENT EXECUTE FUNCTION policy_audit_append_only();
    `,
  },
  {
    version: 6,
    description: "the pager's PagerDuty pages of the cluster's tickets",
    // One row per ticket and opening: whichever gateway's pager commits it first pages, and the
    // primary key turns every other try into nothing.
    sql: `
      CREATE TABLE kaizen_pages (
        tenant_id TEXT NOT NULL,
        ticket_id BIGINT NOT NULL,
        -- The ticket's reopen_count when paged: one page per opening or reopening.
        cycle INTEGER NOT NULL,
        -- PagerDuty's dedup_key of the incident; the resolve uses it, whatever the config says now.
        dedup_key TEXT NOT NULL,
        paged_at BIGINT NOT NULL,
        -- When the resolve went into the outbox; null while the page is open.
        resolved_at BIGINT,
        PRIMARY KEY (ticket_id, cycle)
      );
      CREATE INDEX kaizen_pages_open ON kaizen_pages (tenant_id, ticket_id) WHERE resolved_at IS NULL;
    `,
  },
];
