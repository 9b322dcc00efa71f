// The PostgreSQL implementation of PolicyLedger: one promotions table and one audit chain for the
// whole cluster. Every append takes the chain table's EXCLUSIVE lock for its transaction, so two
// gateways (or a gateway and the admin CLI) appending at once queue, and each chains onto the
// head the other committed; reads (ACCESS SHARE) go on meanwhile.
import type { AuditVerification } from '../../core/api/policy';
import {
  ChainCheck,
  nextAuditRow,
  toEntry,
  type AuditAppend,
  type AuditRow,
} from '../policy/audit';
import type { PolicyContext, PolicyLedger } from '../policy/ledger';
import {
  promotionValues,
  toPromotion,
  type NewPromotion,
  type PromotionRow,
} from '../policy/promotion-store';
import { inTransaction, type PgClient, type PgPool, type PgQueryable } from './pg';

/** Rows read at once while verifying: the chain is walked in pages, never held whole. */
const VERIFY_PAGE_ROWS = 1_000;

async function lockedHead(client: PgClient): Promise<{ seq: number; hash: string } | null> {
  await client.query('LOCK TABLE policy_audit IN EXCLUSIVE MODE');
  const { rows } = await client.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM policy_audit ORDER BY seq DESC LIMIT 1',
  );
  return rows[0] ?? null;
}

async function append(
  client: PgClient,
  head: { seq: number; hash: string } | null,
  entry: AuditAppend,
) {
  const row = nextAuditRow(head, entry);
  await client.query(
    `INSERT INTO policy_audit (seq, at, kind, actor, tenant, promotion_id, decision, detail,
       prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.seq,
      row.at,
      row.kind,
      row.actor,
      row.tenant,
      row.promotion_id,
      row.decision,
      row.detail,
      row.prev_hash,
      row.hash,
    ],
  );
}

async function insertPromotion(client: PgClient, p: NewPromotion): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO policy_promotions (created_at, tenant, kind, change, "by", decision, deciding,
       errors, figures, context, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    promotionValues(p),
  );
  return rows[0]!.id;
}

async function promotionRow(db: PgQueryable, id: number, lock = false) {
  const { rows } = await db.query<PromotionRow>(
    `SELECT * FROM policy_promotions WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** The ledger over `pool` (migrated by the caller); `close` leaves the pool to its owner. */
export function pgPolicyLedger(pool: PgPool): PolicyLedger {
  return {
    backend: 'postgres',

    promote: (decide) =>
      inTransaction(pool, async (client) => {
        const head = await lockedHead(client);
        const record = decide();
        const promotionId = await insertPromotion(client, record.promotion);
        await append(client, head, { ...record.audit, promotionId });
        return promotionId;
      }),

    override: (id, decide) =>
      inTransaction(pool, async (client) => {
        const head = await lockedHead(client);
        const row = await promotionRow(client, id, true);
        const record = decide(
          row
            ? {
                promotion: toPromotion(row),
                context: JSON.parse(row.context) as PolicyContext,
              }
            : null,
        );
        await client.query(
          `UPDATE policy_promotions SET status = 'overridden', override_by = $1,
             override_reason = $2, override_at = $3 WHERE id = $4`,
          [record.override.by, record.override.reason, record.override.at, id],
        );
        await append(client, head, { ...record.audit, promotionId: id });
      }),

    async get(id) {
      const row = await promotionRow(pool, id);
      return row ? toPromotion(row) : null;
    },

    async rows({ tenant, limit, visible }) {
      const { rows } = await pool.query<PromotionRow>(
        `SELECT * FROM policy_promotions
         WHERE ($1::text IS NULL OR tenant = $1) AND ($2::text[] IS NULL OR tenant = ANY ($2))
         ORDER BY id DESC LIMIT $3`,
        [tenant ?? null, visible ? [...visible] : null, limit],
      );
      return rows;
    },

    async audit({ limit, beforeSeq }) {
      const { rows } = await pool.query<AuditRow>(
        'SELECT * FROM policy_audit WHERE seq < $1 ORDER BY seq DESC LIMIT $2',
        [beforeSeq ?? Number.MAX_SAFE_INTEGER, limit],
      );
      return rows.map(toEntry);
    },

    async head() {
      const { rows } = await pool.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM policy_audit ORDER BY seq DESC LIMIT 1',
      );
      return rows[0] ?? null;
    },

    verify(): Promise<AuditVerification> {
      // One snapshot for the chain and the promotions, however long the walk takes.
      return inTransaction(pool, async (client) => {
        await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const check = new ChainCheck();
        // Any seq, even one edited below 1 by someone who dropped the check.
        let after = Number.MIN_SAFE_INTEGER;
        for (;;) {
          const { rows } = await client.query<AuditRow>(
            'SELECT * FROM policy_audit WHERE seq > $1 ORDER BY seq LIMIT $2',
            [after, VERIFY_PAGE_ROWS],
          );
          for (const row of rows) check.row(row);
          if (rows.length < VERIFY_PAGE_ROWS) break;
          after = rows[rows.length - 1]!.seq;
        }
        const promotions = await client.query<{ id: number; status: string }>(
          'SELECT id, status FROM policy_promotions ORDER BY id',
        );
        return check.finish(promotions.rows);
      });
    },

    close: () => Promise.resolve(),
  };
}
