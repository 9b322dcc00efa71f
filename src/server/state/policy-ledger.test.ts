// Promotions and the audit chain behave the same on SQLite and on PostgreSQL: the real promotion
// gate records through two instances over one state (two gateways), both list the same rows, two
// writers appending at once never fork the chain, and a row edited or deleted past the store is
// named by verify.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stateBackends, type StateFixture } from '../../testing/state-backends';
import { freezingBundle } from '../../testing/freezing-bundle';
import { tempDir } from '../../testing/temp-dir';
import { loadBundle } from '../policy/bundle';
import { createPromotionGate, PromotionError, type PromotionGate } from '../policy/gate';
import type { PolicyLedger } from '../policy/ledger';
import { policySettingsFromEnv } from '../policy/settings';
import { openDatabase, type Db } from '../storage/database';
import type { TenantRecord } from '../tenants/tenant-spec';

const TENANTS: TenantRecord[] = ['east', 'west'].map((id) => ({
  id,
  name: `Tenant ${id}`,
  visibility: 'private',
  source: { kind: 'live', width: 64, height: 64, seed: 1 },
  sloMs: 7,
  createdAt: '2026-01-01T00:00:00.000Z',
}));

const input = (tenant: string, sloMs: number) => ({
  tenant,
  kind: 'tenant-settings' as const,
  change: { sloMs },
  by: 'cli:ana',
  principal: 'cli:ana',
});

for (const harness of stateBackends()) {
  if (harness.missing) {
    console.warn(`[state] skipping the ${harness.backend} suite: ${harness.missing}`);
  }

  describe.skipIf(harness.missing !== null)(`policy ledger on ${harness.backend}`, () => {
    // Every change is allowed but a visibility change: a denial to override.
    const bundle = loadBundle(
      freezingBundle('visibility', 'visibility-frozen', 'visibility is frozen'),
    );
    const { pricing } = policySettingsFromEnv({});
    let fixture: StateFixture;
    let dbs: Db[];
    let ledgers: PolicyLedger[];
    let gates: PromotionGate[];

    /** A gateway's gate: its own console.db (live rates), the fixture's ledger. */
    const gateway = (ledger: PolicyLedger): PromotionGate => {
      const db = openDatabase(tempDir('ledger-gateway'));
      dbs.push(db);
      return createPromotionGate({
        db,
        ledger,
        bundle,
        pricing,
        tenantStore: { tenants: () => TENANTS, write: () => Promise.resolve(true), log: () => {} },
      });
    };

    beforeAll(() => harness.start());
    afterAll(() => harness.stop());
    beforeEach(async () => {
      fixture = await harness.fixture();
      dbs = [];
      ledgers = [await fixture.policy(), await fixture.policy()];
      gates = ledgers.map(gateway);
    });
    afterEach(async () => {
      await fixture.close();
      for (const db of dbs) db.close();
    });

    it('records on one instance what the other lists, overrides included', async () => {
      const [a, b] = gates as [PromotionGate, PromotionGate];
      const allowed = await a.promote(input('east', 9));
      expect(allowed).toMatchObject({
        id: 1,
        status: 'applied',
        decision: 'allow',
        tenant: 'east',
      });
      const denied = await b.promote({ ...input('west', 7), change: { visibility: 'public' } });
      expect(denied).toMatchObject({ status: 'denied', decision: 'deny' });
      const overridden = await a.override(denied.id, 'cli:bo', 'public for the launch');
      expect(overridden).toMatchObject({
        status: 'overridden',
        override: { by: 'cli:bo', reason: 'public for the launch' },
      });

      for (const gate of gates) {
        expect(await gate.list({ limit: 10 })).toEqual([overridden, allowed]);
        expect(await gate.list({ limit: 10, tenant: 'east' })).toEqual([allowed]);
        expect(await gate.list({ limit: 10, visible: new Set(['west']) })).toEqual([overridden]);
        expect(await gate.get(denied.id)).toEqual(overridden);
      }
      const [first, second] = ledgers as [PolicyLedger, PolicyLedger];
      const entries = await first.audit({ limit: 10 });
      expect(await second.audit({ limit: 10 })).toEqual(entries);
      expect(entries.map((e) => `${e.seq} ${e.kind} ${e.promotionId} ${e.decision}`)).toEqual([
        `3 override ${denied.id} allow`,
        `2 decision ${denied.id} deny`,
        `1 decision ${allowed.id} allow`,
      ]);
      expect(entries[0]!.detail).toMatchObject({ reason: 'public for the launch' });
      expect(await second.audit({ limit: 10, beforeSeq: 3 })).toEqual(entries.slice(1));
      expect(await second.head()).toEqual({ seq: 3, hash: entries[0]!.hash });
      expect(await second.verify()).toEqual({
        ok: true,
        rows: 3,
        head: { seq: 3, hash: entries[0]!.hash },
        problems: [],
      });
    });

    it('refuses what the gate refuses and records nothing of it', async () => {
      const gate = gates[0]!;
      await expect(gate.promote(input('nowhere', 9))).rejects.toMatchObject({ status: 404 });
      await expect(gate.override(41, 'cli:bo', 'no such promotion')).rejects.toBeInstanceOf(
        PromotionError,
      );
      const applied = await gate.promote(input('east', 9));
      await expect(gate.override(applied.id, 'cli:bo', 'not a denial')).rejects.toMatchObject({
        status: 409,
      });
      expect(await gate.list({ limit: 10 })).toEqual([applied]);
      expect((await ledgers[1]!.verify()).rows).toBe(1);
    });

    it('keeps one chain while two instances append at once', async () => {
      const perInstance = 12;
      await Promise.all(
        gates.flatMap((gate, g) =>
          Array.from({ length: perInstance }, (_, i) =>
            gate.promote(input(g === 0 ? 'east' : 'west', 8 + i)),
          ),
        ),
      );
      const verdict = await ledgers[0]!.verify();
      expect(verdict).toMatchObject({ ok: true, rows: 2 * perInstance, problems: [] });
      const entries = await ledgers[1]!.audit({ limit: 100 });
      expect(entries.map((e) => e.seq)).toEqual(
        Array.from({ length: 2 * perInstance }, (_, i) => 2 * perInstance - i),
      );
      expect(new Set(entries.map((e) => e.prevHash)).size).toBe(entries.length);
    });

    it('names a row edited or deleted past the store', async () => {
      for (let i = 0; i < 3; i += 1) await gates[i % 2]!.promote(input('east', 9 + i));
      // The store refuses both; its owner can drop the guard, and the chain still tells.
      await expect(
        fixture.tamper("UPDATE policy_audit SET actor = 'x' WHERE seq = 2"),
      ).rejects.toThrow(/append-only/);
      await expect(fixture.tamper('DELETE FROM policy_audit WHERE seq = 3')).rejects.toThrow(
        /append-only/,
      );
      await fixture.tamper(
        harness.backend === 'sqlite'
          ? 'DROP TRIGGER policy_audit_no_update; DROP TRIGGER policy_audit_no_delete'
          : 'ALTER TABLE policy_audit DISABLE TRIGGER USER',
      );
      await fixture.tamper("UPDATE policy_audit SET actor = 'cli:mallory' WHERE seq = 2");
      const edited = await ledgers[1]!.verify();
      expect(edited.ok).toBe(false);
      expect(edited.problems).toEqual(['row 2: its content does not match its hash (edited)']);

      await fixture.tamper('DELETE FROM policy_audit WHERE seq = 2');
      const deleted = await ledgers[0]!.verify();
      expect(deleted.ok).toBe(false);
      expect(deleted.problems).toEqual([
        'rows 2..2 are missing (deleted)',
        "row 3: its previous hash does not match row 2's hash",
        'promotion 2 has no decision row (deleted)',
      ]);
    });
  });
}
