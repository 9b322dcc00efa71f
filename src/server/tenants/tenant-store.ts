// The tenant table: reads, and writes that each run in one transaction, so a crash leaves either
// the old rows or the new ones, never half of a change.
import type { Db } from '../storage/database';
import {
  TenantSpecError,
  parseTenantSpec,
  sourceKey,
  type TenantRecord,
  type TenantSpec,
} from './tenant-spec';

export interface TenantRow {
  tenant_id: string;
  name: string;
  visibility: string;
  /** JSON text in SQLite, already parsed from PostgreSQL's JSONB. */
  source: string | object;
  slo_latency_ms: number;
  gpu_threshold: number | null;
  created_at: string;
}

export class TenantStoreError extends Error {
  constructor(message: string) {
    super(`[tenants] ${message}`);
    this.name = 'TenantStoreError';
  }
}

export interface TenantListing {
  tenants: TenantRecord[];
  /** Rows that fail validation (edited by hand, say): skipped, each with why. */
  faults: string[];
}

export function listTenants(db: Db): TenantListing {
  const rows = db
    .prepare(
      `SELECT tenant_id, name, visibility, source, slo_latency_ms, gpu_threshold, created_at
       FROM tenants ORDER BY tenant_id`,
    )
    .all() as TenantRow[];
  return parseTenantRows(rows);
}

/**
 * Tenant rows as records, whichever database they come from (PostgreSQL hands `source` over
 * parsed); a row that fails validation is skipped with why.
 */
export function parseTenantRows(rows: readonly TenantRow[]): TenantListing {
  const tenants: TenantRecord[] = [];
  const faults: string[] = [];
  for (const row of rows) {
    const where = `console.db tenants row ${JSON.stringify(row.tenant_id)}`;
    try {
      const spec = parseTenantSpec(
        {
          id: row.tenant_id,
          name: row.name,
          visibility: row.visibility,
          source: typeof row.source === 'string' ? (JSON.parse(row.source) as unknown) : row.source,
          sloMs: row.slo_latency_ms,
          gpuThreshold: row.gpu_threshold,
        },
        where,
      );
      tenants.push({ ...spec, createdAt: row.created_at });
    } catch (error) {
      if (!(error instanceof TenantSpecError) && !(error instanceof SyntaxError)) throw error;
      faults.push(error instanceof SyntaxError ? `${where}: source is not JSON` : error.message);
    }
  }
  return { tenants, faults };
}

export function tenantExists(db: Db, id: string): boolean {
  return db.prepare('SELECT 1 FROM tenants WHERE tenant_id = ?').pluck().get(id) !== undefined;
}

function insertStatement(db: Db) {
  return db.prepare(
    `INSERT INTO tenants (tenant_id, name, visibility, source, slo_latency_ms, gpu_threshold)
     VALUES (@id, @name, @visibility, @source, @sloMs, @gpuThreshold)`,
  );
}

/** A spec as the tenants table's columns (named parameters). */
export function tenantColumns(spec: TenantSpec) {
  return {
    id: spec.id,
    name: spec.name,
    visibility: spec.visibility,
    source: sourceKey(spec.source),
    sloMs: spec.sloMs,
    gpuThreshold: spec.gpuThreshold ?? null,
  };
}

export function createTenant(db: Db, spec: TenantSpec): void {
  db.transaction(() => {
    if (tenantExists(db, spec.id)) throw new TenantStoreError(`tenant "${spec.id}" already exists`);
    insertStatement(db).run(tenantColumns(spec));
  })();
}

/**
 * Deletes a tenant and every grant to it, so a tenant created later under the same id does not
 * inherit old tokens. False when there was no such tenant.
 */
export function deleteTenant(db: Db, id: string): boolean {
  return db.transaction(() => {
    db.prepare('DELETE FROM token_grants WHERE tenant_id = ?').run(id);
    return db.prepare('DELETE FROM tenants WHERE tenant_id = ?').run(id).changes > 0;
  })();
}

const SEEDED_KEY = 'tenants_seeded_at';

function markSeeded(db: Db): void {
  db.prepare(
    `INSERT INTO tenant_settings (key, value) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     ON CONFLICT (key) DO NOTHING`,
  ).run(SEEDED_KEY);
}

/**
 * Makes the table hold exactly `specs` (a config file's declaration): upserts them, keeping
 * created_at of those already there, and deletes the others with their grants.
 */
export function replaceTenants(db: Db, specs: readonly TenantSpec[]): void {
  db.transaction(() => {
    const keep = new Set(specs.map((s) => s.id));
    const existing = db.prepare('SELECT tenant_id FROM tenants').pluck().all() as string[];
    for (const id of existing) if (!keep.has(id)) deleteTenant(db, id);
    const upsert = db.prepare(
      `INSERT INTO tenants (tenant_id, name, visibility, source, slo_latency_ms, gpu_threshold)
       VALUES (@id, @name, @visibility, @source, @sloMs, @gpuThreshold)
       ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name,
         visibility = excluded.visibility, source = excluded.source,
         slo_latency_ms = excluded.slo_latency_ms, gpu_threshold = excluded.gpu_threshold`,
    );
    for (const spec of specs) upsert.run(tenantColumns(spec));
    markSeeded(db);
  })();
}

/**
 * Inserts `specs` when the table is empty and was never seeded before; true when it did. An
 * operator who deletes every tenant does not get the demo tenants back at the next start.
 */
export function seedTenantsOnce(db: Db, specs: readonly TenantSpec[]): boolean {
  return db.transaction(() => {
    const seeded = db.prepare('SELECT 1 FROM tenant_settings WHERE key = ?').get(SEEDED_KEY);
    const count = db.prepare('SELECT count(*) FROM tenants').pluck().get() as number;
    if (seeded !== undefined || count > 0) return false;
    const insert = insertStatement(db);
    for (const spec of specs) insert.run(tenantColumns(spec));
    markSeeded(db);
    return true;
  })();
}

/**
 * Replaces a tenant's settings (visibility, source, SLO, GPU threshold): what an allowed or
 * overridden promotion applies (src/server/policy/). False when there is no such tenant.
 */
export function updateTenantSettings(db: Db, spec: TenantSpec): boolean {
  return (
    db
      .prepare(
        `UPDATE tenants SET visibility = @visibility, source = @source,
           slo_latency_ms = @sloMs, gpu_threshold = @gpuThreshold
         WHERE tenant_id = @id`,
      )
      .run(tenantColumns(spec)).changes > 0
  );
}
