// RCAs of the cluster's tickets: two real console servers sharing one PostgreSQL (--database). A
// ticket filed by an Alertmanager webhook through gateway B lives only in PostgreSQL; a draft
// asked for through gateway A finds it there and is written from it, not from a ticket of A's own
// data directory that happens to have the same id. A token revoked through one gateway is among
// the changes in the evidence of a draft written by the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rca } from '../../core/api/rca';
import { firingAlert } from '../../testing/alertmanager-payload';
import { startGatewayPair, type GatewayPair } from '../../testing/gateway-pair';
import { stallTicket } from '../../testing/kaizen-fixtures';
import { postgresBinDir } from '../../testing/postgres';

const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[state] skipping the cluster RCA test: ${missing}`);

describe.skipIf(missing !== null)('RCAs on gateways sharing one PostgreSQL', () => {
  let pair: GatewayPair;
  let token = '';

  beforeAll(async () => {
    pair = await startGatewayPair();
    token = (await pair.a.issueStoredToken(['demo'], 'ana', 'operator')).token;
  });
  afterAll(() => pair?.close());

  it('drafts through one gateway the RCA of a ticket filed through the other', async () => {
    const { a, b } = pair;
    // A ticket of A's own data directory, to be told apart from the cluster's ticket of the same id.
    a.kaizen.store.openOrDedup(stallTicket({ title: 'A local ticket, not the cluster’s' }));
    const alert = firingAlert('fp-rca', 'Link east down');
    expect((await pair.call(b, token, 'POST', '/api/alertmanager', alert)).status).toBe(200);
    const { tickets } = await b.kaizen.tickets.list({}, { limit: 10 });
    const ticket = tickets.find((t) => t.fingerprint.includes('fp-rca'))!;
    expect(ticket).toBeDefined();

    const asked = await pair.call<Rca>(a, token, 'POST', `/api/tickets/${ticket.id}/rca`, {});
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ ticketId: ticket.id, tenant: 'demo', status: 'drafting' });
    await a.rca.idle();
    const read = await pair.call<Rca>(a, token, 'GET', `/api/tickets/${ticket.id}/rca`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ ticketId: ticket.id, status: 'draft', engine: 'builtin' });
    expect(read.json.markdown).toContain('Link east down');
    expect(read.json.markdown).not.toContain('A local ticket');

    // A ticket id nobody has is a 404, not a draft of some other ticket.
    const none = await pair.call(a, token, 'POST', `/api/tickets/${ticket.id + 1000}/rca`, {});
    expect(none.status).toBe(404);
  });

  it("lists a token revoked through one gateway among the other's draft evidence", async () => {
    const { a, b } = pair;
    const revoked = await b.issueStoredToken(['demo'], 'bo-laptop', 'viewer');
    expect(await b.sharedState!.access.revokeToken(revoked.tokenId)).toBe('revoked');
    const alert = firingAlert('fp-rca-revoked', 'Viewer lost the stream');
    expect((await pair.call(b, token, 'POST', '/api/alertmanager', alert)).status).toBe(200);
    const { tickets } = await b.kaizen.tickets.list({}, { limit: 10 });
    const ticket = tickets.find((t) => t.fingerprint.includes('fp-rca-revoked'))!;
    expect(ticket).toBeDefined();

    expect((await pair.call(a, token, 'POST', `/api/tickets/${ticket.id}/rca`, {})).status).toBe(
      202,
    );
    await a.rca.idle();
    const read = await pair.call<Rca>(a, token, 'GET', `/api/tickets/${ticket.id}/rca`);
    expect(read.json.status).toBe('draft');
    expect(read.json.evidence?.changes).toContainEqual({
      at: expect.any(String),
      kind: 'token-revoked',
      detail: 'token "bo-laptop", which granted demo, was revoked',
    });
    const at = read.json.evidence!.changes.find((c) => c.kind === 'token-revoked')!.at;
    expect(Date.parse(at)).toBeLessThanOrEqual(Date.parse(read.json.evidence!.alert.openedAt));
    expect(read.json.markdown).toContain('bo-laptop');
  });
});
