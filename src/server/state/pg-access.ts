// The PostgreSQL implementation of AccessState. Token secrets are stored as SHA-256 digests, as in
// SQLite. A revocation is announced with NOTIFY in its transaction, so every gateway that listens
// hears it on commit, typically within milliseconds, and closes the token's connections.
import {
  TenantStoreError,
  parseTenantRows,
  tenantColumns,
  type TenantRow,
} from '../tenants/tenant-store';
import type { TenantSpec } from '../tenants/tenant-spec';
import {
  TokenStoreError,
  hashToken,
  prepareToken,
  type TokenRecord,
  type TokenSecret,
} from '../tenants/token-store';
import type { TokenRole } from '../../core/api/session';
import type { AccessState } from './access';
import { inTransaction, type PgClient, type PgPool, type PgQueryable } from './pg';
import { listenPg } from './pg-listen';

export const REVOCATION_CHANNEL = 'token_revocations';
/** Every other change of tenants, tokens or grants: each gateway rereads its directory. */
export const ACCESS_CHANNEL = 'access_changes';
const SEEDED_KEY = 'tenants_seeded_at';
const TOKEN_ID = /^tok_[0-9a-f]{16}$/;

interface TokenRow {
  token_id: string;
  name: string;
  role: TokenRole;
  created_at: Date;
  revoked_at: Date | null;
  secret_sha256: Buffer;
  tenants: string[];
}

const TENANT_SELECT = `SELECT tenant_id, name, visibility, source, slo_latency_ms, gpu_threshold,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
  FROM tenants ORDER BY tenant_id`;

const TOKEN_SELECT = `SELECT t.token_id, t.name, t.role, t.created_at, t.revoked_at, t.secret_sha256,
  COALESCE(array_agg(g.tenant_id ORDER BY g.tenant_id) FILTER (WHERE g.tenant_id IS NOT NULL),
    '{}') AS tenants
  FROM tokens t LEFT JOIN token_grants g ON g.token_id = t.token_id
  GROUP BY t.token_id ORDER BY t.created_at, t.token_id`;

async function upsertTenant(db: PgQueryable, spec: TenantSpec, update: boolean): Promise<void> {
  const c = tenantColumns(spec);
  await db.query(
    `INSERT INTO tenants (tenant_id, name, visibility, source, slo_latency_ms, gpu_threshold)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)
     ${
       update
         ? `ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name,
              visibility = excluded.visibility, source = excluded.source,
              slo_latency_ms = excluded.slo_latency_ms, gpu_threshold = excluded.gpu_threshold`
         : ''
     }`,
    [c.id, c.name, c.visibility, c.source, c.sloMs, c.gpuThreshold],
  );
}

async function removeTenant(db: PgClient, id: string): Promise<boolean> {
  await db.query('DELETE FROM token_grants WHERE tenant_id = $1', [id]);
  const { rowCount } = await db.query('DELETE FROM tenants WHERE tenant_id = $1', [id]);
  return (rowCount ?? 0) > 0;
}

async function markSeeded(db: PgQueryable): Promise<void> {
  await db.query(
    `INSERT INTO tenant_settings (key, value) VALUES ($1, to_char(now() AT TIME ZONE 'UTC',
       'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ON CONFLICT (key) DO NOTHING`,
    [SEEDED_KEY],
  );
}

/** Announced to every listener when, and only if, the change commits. */
async function announceChange(db: PgQueryable, what: 'tenants' | 'tokens'): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [ACCESS_CHANNEL, what]);
}

/** Serialises changes of the tenant table (a seed, a tenants file) across gateways. */
async function lockTenants(db: PgClient): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtextextended('tenants', 0))");
}

export function pgAccessState(options: {
  pool: PgPool;
  url: string;
  log?: (line: string) => void;
}): AccessState {
  const { pool } = options;
  const feeds: { close(): Promise<void> }[] = [];

  const tokens = async (): Promise<TokenRow[]> => (await pool.query<TokenRow>(TOKEN_SELECT)).rows;

  return {
    backend: 'postgres',

    async listTenants() {
      return parseTenantRows((await pool.query<TenantRow>(TENANT_SELECT)).rows);
    },

    async createTenant(spec) {
      await inTransaction(pool, async (client) => {
        const { rowCount } = await client.query('SELECT 1 FROM tenants WHERE tenant_id = $1', [
          spec.id,
        ]);
        if (rowCount) throw new TenantStoreError(`tenant "${spec.id}" already exists`);
        await upsertTenant(client, spec, false);
        await announceChange(client, 'tenants');
      });
    },

    deleteTenant: (id) =>
      inTransaction(pool, async (client) => {
        const removed = await removeTenant(client, id);
        if (removed) await announceChange(client, 'tenants');
        return removed;
      }),

    async replaceTenants(specs) {
      await inTransaction(pool, async (client) => {
        await lockTenants(client);
        const keep = new Set(specs.map((s) => s.id));
        const { rows } = await client.query<{ tenant_id: string }>('SELECT tenant_id FROM tenants');
        for (const { tenant_id: id } of rows) if (!keep.has(id)) await removeTenant(client, id);
        for (const spec of specs) await upsertTenant(client, spec, true);
        await markSeeded(client);
        await announceChange(client, 'tenants');
      });
    },

    seedTenantsOnce: (specs) =>
      inTransaction(pool, async (client) => {
        await lockTenants(client);
        const seeded = await client.query('SELECT 1 FROM tenant_settings WHERE key = $1', [
          SEEDED_KEY,
        ]);
        const count = await client.query<{ n: number }>('SELECT count(*) AS n FROM tenants');
        if (seeded.rowCount || count.rows[0]!.n > 0) return false;
        for (const spec of specs) await upsertTenant(client, spec, false);
        await markSeeded(client);
        await announceChange(client, 'tenants');
        return true;
      }),

    updateTenantSettings: (spec) =>
      inTransaction(pool, async (client) => {
        const c = tenantColumns(spec);
        const { rowCount } = await client.query(
          `UPDATE tenants SET visibility = $2, source = $3::jsonb, slo_latency_ms = $4,
             gpu_threshold = $5 WHERE tenant_id = $1`,
          [c.id, c.visibility, c.source, c.sloMs, c.gpuThreshold],
        );
        if (rowCount) await announceChange(client, 'tenants');
        return (rowCount ?? 0) > 0;
      }),

    async issueToken(request) {
      const { role, tenants, issued } = prepareToken(request);
      await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ tenant_id: string }>(
          'SELECT tenant_id FROM tenants WHERE tenant_id = ANY($1::text[])',
          [tenants],
        );
        const known = new Set(rows.map((r) => r.tenant_id));
        const missing = tenants.filter((id) => !known.has(id));
        if (missing.length > 0) {
          throw new TokenStoreError(`no such tenant: ${missing.map((m) => `"${m}"`).join(', ')}`);
        }
        await client.query(
          'INSERT INTO tokens (token_id, name, role, secret_sha256) VALUES ($1, $2, $3, $4)',
          [issued.tokenId, request.name, role, hashToken(issued.token)],
        );
        await client.query(
          'INSERT INTO token_grants (token_id, tenant_id) SELECT $1, unnest($2::text[])',
          [issued.tokenId, tenants],
        );
        await announceChange(client, 'tokens');
      });
      return issued;
    },

    async listTokens(): Promise<TokenRecord[]> {
      return (await tokens()).map((r) => ({
        tokenId: r.token_id,
        name: r.name,
        role: r.role,
        tenants: r.tenants,
        createdAt: r.created_at.toISOString(),
        revokedAt: r.revoked_at?.toISOString() ?? null,
      }));
    },

    async tokenSecrets(): Promise<TokenSecret[]> {
      return (await tokens()).map((r) => ({
        tokenId: r.token_id,
        name: r.name,
        role: r.role,
        sha256: r.secret_sha256,
        tenants: r.tenants,
        revoked: r.revoked_at !== null,
      }));
    },

    revokeToken: (tokenId) =>
      inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ revoked_at: Date | null }>(
          'SELECT revoked_at FROM tokens WHERE token_id = $1 FOR UPDATE',
          [tokenId],
        );
        if (!rows[0]) return 'unknown';
        if (rows[0].revoked_at !== null) return 'already-revoked';
        await client.query('UPDATE tokens SET revoked_at = now() WHERE token_id = $1', [tokenId]);
        // Delivered to every listener when, and only if, the revocation commits.
        await client.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, tokenId]);
        return 'revoked';
      }),

    async onRevoked(listener) {
      const feed = listenPg(
        options.url,
        REVOCATION_CHANNEL,
        (tokenId) => {
          if (TOKEN_ID.test(tokenId)) listener(tokenId);
        },
        options.log,
      );
      feeds.push(feed);
      await feed.ready;
      return () => void feed.close();
    },

    async onChanged(listener) {
      const feed = listenPg(options.url, ACCESS_CHANNEL, () => listener(), options.log);
      feeds.push(feed);
      await feed.ready;
      return () => void feed.close();
    },

    async close() {
      await Promise.all(feeds.map((f) => f.close()));
    },
  };
}
