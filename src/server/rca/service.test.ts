// The drafting queue under a burst of tickets: bounded, and never holding the event loop.
import { afterEach, describe, expect, it } from 'vitest';
import { createKaizen } from '../incidents/kaizen';
import { createServerMetrics } from '../metrics';
import { openDatabase, type Db } from '../storage/database';
import { createTenantDirectory } from '../tenants/directory';
import { openTenantDatabase } from '../tenants/schema';
import { tempDir } from '../../testing/temp-dir';
import { createTenantLogRing } from './log-ring';
import { openRca } from './open';
import { MAX_QUEUED_DRAFTS, type RcaService } from './service';

let db: Db | undefined;
let rca: RcaService | undefined;
afterEach(() => {
  rca?.close();
  db?.close();
});

describe('the drafting queue', () => {
  it('drafts a burst of tickets a few at a time, yielding between drafts, and skips past its bound', async () => {
    const dataDir = tempDir('rca-queue');
    const tenantDb = openTenantDatabase(dataDir);
    const directory = createTenantDirectory(tenantDb, () => {});
    db = openDatabase(dataDir);
    const kaizen = createKaizen({ db });
    const lines: string[] = [];
    rca = openRca({
      db,
      kaizen,
      metrics: createServerMetrics(),
      streams: { status: () => [] },
      directory,
      config: { chat: null, draftOnOpen: true },
      logRing: createTenantLogRing(),
      log: (line) => lines.push(line),
    });
    const burst = MAX_QUEUED_DRAFTS + 50;
    kaizen.store.transaction(() => {
      for (let i = 0; i < burst; i += 1) {
        kaizen.store.openOrDedup({
          tenantId: 'demo',
          visibility: 'public',
          title: `alert ${i}`,
          severity: 'warning',
          source: 'manual',
          fingerprint: `f${i}`,
          actor: 'test',
        });
      }
    });
    const drafted = (): number =>
      db!.prepare(`SELECT COUNT(*) FROM rcas WHERE status = 'draft'`).pluck().get() as number;
    // A timer set now runs while drafts are still being written: they yield to the event loop.
    const draftedWhenTimerRan = new Promise<number>((resolve) =>
      setTimeout(() => resolve(drafted()), 0),
    );
    await rca.idle();
    expect(await draftedWhenTimerRan).toBeLessThan(MAX_QUEUED_DRAFTS);
    expect(drafted()).toBe(MAX_QUEUED_DRAFTS);
    expect(db.prepare('SELECT COUNT(*) FROM rcas').pluck().get()).toBe(MAX_QUEUED_DRAFTS);
    expect(lines.filter((l) => l.includes('get no automatic draft'))).toHaveLength(1);
    tenantDb.close();
  });
});
