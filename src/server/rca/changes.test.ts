// The change journal on a real console.db: restarts and settings it journals, token revocations
// it reads from the token table, and a token table it cannot read costs the revocations only.
import { describe, expect, it } from 'vitest';
import { migrate } from '../storage/database';
import { openTenantDatabase } from '../tenants/schema';
import { demoTenants } from '../tenants/seed';
import { seedTenantsOnce } from '../tenants/tenant-store';
import { issueToken, revokeToken } from '../tenants/token-store';
import { tempDir } from '../../testing/temp-dir';
import { createChangeJournal } from './changes';
import { RCA_COMPONENT, RCA_MIGRATIONS } from './migrations';
import { sqliteRevocations, type RevocationSource } from './revocations';

function journalDb() {
  const db = openTenantDatabase(':memory:');
  migrate(db, RCA_COMPONENT, RCA_MIGRATIONS);
  seedTenantsOnce(db, demoTenants(tempDir('journal')));
  return db;
}

describe('the change journal', () => {
  it("lists the tenant's revoked tokens from console.db beside what it journalled", async () => {
    const db = journalDb();
    const lines: string[] = [];
    const journal = createChangeJournal({
      db,
      revocations: sqliteRevocations(db),
      log: (line) => void lines.push(line),
    });
    const other = issueToken(db, { name: 'other-tenant', tenants: ['small'], role: 'viewer' });
    const mine = issueToken(db, { name: 'ana-laptop', tenants: ['demo'], role: 'viewer' });
    issueToken(db, { name: 'still-valid', tenants: ['demo'], role: 'viewer' });
    const beforeMs = Date.now() - 1000;
    journal.record(null, 'restart', 'the console server started', beforeMs);
    expect(revokeToken(db, mine.tokenId)).toBe('revoked');
    expect(revokeToken(db, other.tokenId)).toBe('revoked');

    const changes = await journal.changes('demo', beforeMs - 1000, Date.now() + 1000);
    expect(changes.map((c) => [c.kind, c.detail])).toEqual([
      ['restart', 'the console server started'],
      ['token-revoked', 'token "ana-laptop", which granted demo, was revoked'],
    ]);
    // Outside the window: nothing.
    expect(await journal.changes('demo', beforeMs - 60_000, beforeMs - 30_000)).toEqual([]);
    expect(lines).toEqual([]);
    db.close();
  });

  it('leaves the revocations out, with a warning, when the token table cannot be read', async () => {
    const db = journalDb();
    const lines: string[] = [];
    const broken: RevocationSource = async () => {
      throw new Error('connection terminated');
    };
    const journal = createChangeJournal({
      db,
      revocations: broken,
      log: (line) => void lines.push(line),
    });
    journal.record('demo', 'tenant-settings', 'sloMs 7 -> 10', 1_000);
    expect(await journal.changes('demo', 0, 2_000)).toEqual([
      { at: new Date(1_000).toISOString(), kind: 'tenant-settings', detail: 'sloMs 7 -> 10' },
    ]);
    expect(lines).toEqual(['[rca] reading token revocations failed: connection terminated']);
    db.close();
  });
});
