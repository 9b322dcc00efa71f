// Where the change journal reads token revocations: the token table that holds the tokens. On one
// node that is console.db's; with --database it is the cluster's PostgreSQL, where the admin CLI
// and every gateway revoke, so a revocation through any gateway is evidence on every other.
import { isoTime } from '../../core/api/time';
import type { PgQueryable } from '../state/pg';
import type { Db } from '../storage/database';

/** A revoked token that granted the tenant: its name only (id and secret are no evidence). */
export interface Revocation {
  name: string;
  atMs: number;
}

/** The tenant's tokens revoked with fromMs <= at <= toMs, newest first, at most `limit`. */
export type RevocationSource = (
  tenantId: string,
  fromMs: number,
  toMs: number,
  limit: number,
) => Promise<Revocation[]>;

export function sqliteRevocations(db: Db): RevocationSource {
  // Revocation times are stored as ISO text by the token table.
  const revoked = db.prepare(
    `SELECT t.name, t.revoked_at FROM tokens t JOIN token_grants g ON g.token_id = t.token_id
     WHERE g.tenant_id = ? AND t.revoked_at IS NOT NULL AND t.revoked_at BETWEEN ? AND ?
     ORDER BY t.revoked_at DESC LIMIT ?`,
  );
  return async (tenantId, fromMs, toMs, limit) =>
    (
      revoked.all(tenantId, isoTime(fromMs), isoTime(toMs), limit) as {
        name: string;
        revoked_at: string;
      }[]
    ).map((r) => ({ name: r.name, atMs: Date.parse(r.revoked_at) }));
}

export function pgRevocations(pool: PgQueryable): RevocationSource {
  return async (tenantId, fromMs, toMs, limit) => {
    const { rows } = await pool.query<{ name: string; revoked_at: Date }>(
      `SELECT t.name, t.revoked_at FROM tokens t JOIN token_grants g ON g.token_id = t.token_id
       WHERE g.tenant_id = $1 AND t.revoked_at IS NOT NULL
         AND t.revoked_at BETWEEN to_timestamp($2::float8 / 1000) AND to_timestamp($3::float8 / 1000)
       ORDER BY t.revoked_at DESC LIMIT $4`,
      [tenantId, fromMs, toMs, limit],
    );
    return rows.map((r) => ({ name: r.name, atMs: r.revoked_at.getTime() }));
  };
}
