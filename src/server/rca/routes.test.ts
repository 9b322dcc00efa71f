// The RCA routes against the real console: every read and write obeys the ticket's tenant access
// (as the ticket's own routes do), every version is kept, an approved text never changes, and the
// review metrics move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rca, RcaEffectiveness } from '../../core/api/rca';
import { DETECTOR_OFF } from '../../testing/detector-off';
import { startTenantServer, type TestServer } from '../../testing/test-server';

let server: TestServer;
let tokens: Record<'smallOperator' | 'smallViewer' | 'demoOperator', string>;

async function call(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> & Partial<Rca> }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function openTicket(tenant: string, token: string): Promise<number> {
  const { status, json } = await call('POST', '/api/tickets', token, {
    tenant,
    title: `Stream ${tenant} stalled`,
    severity: 'critical',
  });
  expect(status).toBe(201);
  return (json.ticket as { id: number }).id;
}

beforeAll(async () => {
  server = await startTenantServer({
    kaizen: { rules: DETECTOR_OFF },
  });
  tokens = {
    smallOperator: server.issueToken(['small'], 'ana', 'operator').token,
    smallViewer: server.issueToken(['small'], 'partner', 'viewer').token,
    demoOperator: server.issueToken(['demo'], 'bo', 'operator').token,
  };
});
afterAll(async () => server?.close());

describe('access to a private tenant’s RCA', () => {
  let id: number;
  beforeAll(async () => {
    id = await openTicket('small', tokens.smallOperator);
    await server.rca.idle();
  });

  it('is the ticket’s: 404 to whoever may not see the tenant, anonymous or not', async () => {
    for (const token of [null, tokens.demoOperator]) {
      expect((await call('GET', `/api/tickets/${id}/rca`, token)).status).toBe(404);
      expect((await call('POST', `/api/tickets/${id}/rca`, token, {})).status).toBe(
        token === null ? 401 : 404,
      );
      expect(
        (await call('PUT', `/api/tickets/${id}/rca`, token, { markdown: 'x y z' })).status,
      ).toBe(token === null ? 401 : 404);
      expect((await call('POST', `/api/tickets/${id}/rca/approve`, token, {})).status).toBe(
        token === null ? 401 : 404,
      );
    }
  });

  it('lets a viewer read it and nothing more', async () => {
    const read = await call('GET', `/api/tickets/${id}/rca`, tokens.smallViewer);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ ticketId: id, tenant: 'small', status: 'draft' });
    for (const [method, path, body] of [
      ['POST', `/api/tickets/${id}/rca`, {}],
      ['PUT', `/api/tickets/${id}/rca`, { markdown: '## Summary\n\nviewer text here' }],
      ['POST', `/api/tickets/${id}/rca/approve`, {}],
      ['POST', `/api/tickets/${id}/rca/reject`, { reason: 'no' }],
    ] as const) {
      const refused = await call(method, path, tokens.smallViewer, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(String(refused.json.message)).toMatch(/viewer|role|operator/i);
    }
    const after = await call('GET', `/api/tickets/${id}/rca`, tokens.smallViewer);
    expect(after.json.versions).toHaveLength(1);
  });

  it('is drafted at open by the built-in drafter, with all of its sections', async () => {
    const { json } = await call('GET', `/api/tickets/${id}/rca`, tokens.smallOperator);
    expect(json).toMatchObject({ engine: 'builtin', engineNote: null, revision: 1, version: 1 });
    expect(json.sectionsFilled).toHaveLength(8);
    expect(json.markdown).toMatch(/^# RCA: Stream small stalled\n/);
    expect(json.markdown).not.toMatch(/TODO|TBD|lorem|placeholder|<fill/i);
    expect(json.evidence?.alert.title).toBe('Stream small stalled');
  });
});

describe('review of an RCA', () => {
  it('keeps every version, refuses stale writes, and never changes an approved text', async () => {
    const id = await openTicket('demo', tokens.demoOperator);
    await server.rca.idle();
    const path = `/api/tickets/${id}/rca`;
    const draft = (await call('GET', path, tokens.demoOperator)).json;
    const edited = draft.markdown!.replace(
      /## Probable cause\n\n[^#]*/,
      '## Probable cause\n\nThe replay disk stalled for three seconds.\n\n',
    );

    const stale = await call('PUT', path, tokens.demoOperator, {
      markdown: edited,
      baseVersion: 7,
    });
    expect(stale.status).toBe(409);
    const saved = await call('PUT', path, tokens.demoOperator, {
      markdown: edited,
      baseVersion: 1,
      by: 'someone else',
    });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ status: 'draft', version: 2, revision: 1 });
    // The token's name acts, whatever the body says.
    expect(saved.json.versions![1]).toMatchObject({ kind: 'edit', author: 'bo', engine: null });

    expect((await call('POST', `${path}/reject`, tokens.demoOperator, {})).status).toBe(400);
    expect(
      (await call('POST', `${path}/approve`, tokens.demoOperator, { version: 1 })).status,
    ).toBe(409);
    const approved = await call('POST', `${path}/approve`, tokens.demoOperator, { version: 2 });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', approved: { version: 2, by: 'bo' } });
    const review = approved.json.reviews![0]!;
    expect(review).toMatchObject({ outcome: 'approved', revision: 1, version: 2 });
    expect(review.editDistanceRatio).toBeGreaterThan(0);
    expect(review.editDistanceRatio).toBeLessThan(0.5);
    expect((await call('POST', `${path}/approve`, tokens.demoOperator, {})).status).toBe(409);

    // A later edit starts revision 2 for review; the approved text stays as it was.
    const next = await call('PUT', path, tokens.demoOperator, { markdown: `${edited}\nMore.` });
    expect(next.json).toMatchObject({ status: 'draft', revision: 2, version: 3 });
    expect(next.json.approved).toMatchObject({ version: 2, markdown: edited });
    const rejected = await call('POST', `${path}/reject`, tokens.demoOperator, {
      reason: 'the disk was fine',
    });
    expect(rejected.json).toMatchObject({ status: 'rejected' });
    expect(rejected.json.reviews![1]).toMatchObject({
      outcome: 'rejected',
      reason: 'the disk was fine',
      // Revision 2 had no engine draft: there is nothing to measure the edits against.
      editDistanceRatio: null,
    });
    expect(rejected.json.approved).toMatchObject({ version: 2, markdown: edited });

    // Regenerating starts revision 3 with a new engine draft; every version is still there.
    const again = await call('POST', path, tokens.demoOperator, {});
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ status: 'drafting', revision: 3 });
    await server.rca.idle();
    const last = (await call('GET', path, tokens.demoOperator)).json;
    expect(last).toMatchObject({ status: 'draft', revision: 3, version: 4 });
    expect(last.versions!.map((v) => [v.version, v.revision, v.kind])).toEqual([
      [1, 1, 'draft'],
      [2, 1, 'edit'],
      [3, 2, 'edit'],
      [4, 3, 'draft'],
    ]);
    // The approved RCA feeds the "similar tickets" of the next draft of the same incident.
    expect(last.evidence?.similar ?? []).toEqual([]);
    const second = await openTicket('demo', tokens.demoOperator);
    await server.rca.idle();
    const secondRca = (await call('GET', `/api/tickets/${second}/rca`, tokens.demoOperator)).json;
    expect(secondRca.evidence?.similar[0]).toMatchObject({
      id,
      approvedCause: 'The replay disk stalled for three seconds.',
    });
    expect(secondRca.markdown).toContain('The replay disk stalled for three seconds.');

    const metrics = await server.scrapeMetrics();
    expect(metrics).toMatch(/rca_reviews_total\{outcome="approved"\} 1\n/);
    expect(metrics).toMatch(/rca_reviews_total\{outcome="rejected"\} 1\n/);
    expect(metrics).toMatch(/rca_edit_distance_ratio_count 1\n/);
    expect(metrics).toMatch(/rca_review_seconds_count\{outcome="approved"\} 1\n/);
  });

  it('answers 404 for a ticket that does not exist', async () => {
    const { status, json } = await call('GET', '/api/tickets/999999/rca', tokens.demoOperator);
    expect(status).toBe(404);
    expect(json.message).toBe('no ticket 999999');
  });
});

describe('the effectiveness report', () => {
  it('covers only the tenants the caller may see', async () => {
    const anonymous = await call('GET', '/api/rca/effectiveness', null);
    expect(anonymous.status).toBe(200);
    const report = anonymous.json as unknown as RcaEffectiveness;
    // Anonymous callers see the public demo tenant only: its two tickets, both drafted.
    expect(report.withDraft.tickets).toBe(2);
    expect(report.withDraft.approved).toBe(1);
    expect(report.withDraft.sectionsFilledShare).toBe(1);
    expect((await call('GET', '/api/rca/effectiveness?tenant=small', null)).status).toBe(404);
    const small = await call('GET', '/api/rca/effectiveness?tenant=small', tokens.smallViewer);
    expect((small.json as unknown as RcaEffectiveness).withDraft.tickets).toBe(1);
    expect((await call('GET', '/api/rca/effectiveness?window=soon', null)).status).toBe(400);
  });
});

describe('with drafting off', () => {
  let off: TestServer;
  afterAll(async () => off?.close());

  it('has no RCA until a person writes one, which counts among the tickets without a draft', async () => {
    off = await startTenantServer({ env: { RCA_DRAFT_ON_OPEN: '0' } });
    const token = off.issueToken(['demo'], 'cy', 'operator').token;
    const request = (method: string, path: string, body?: unknown) =>
      fetch(`${off.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const created = await request('POST', '/api/tickets', {
      tenant: 'demo',
      title: 'Written by hand',
      severity: 'warning',
    });
    const id = ((await created.json()) as { ticket: { id: number } }).ticket.id;
    await off.rca.idle();
    const none = await request('GET', `/api/tickets/${id}/rca`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { message: string }).message).toBe(
      `ticket ${id} has no RCA yet: POST /api/tickets/${id}/rca drafts one`,
    );
    const text = '## Summary\n\nThe operator restarted the replay by hand.\n';
    const written = (await (
      await request('PUT', `/api/tickets/${id}/rca`, { markdown: text })
    ).json()) as Rca;
    expect(written).toMatchObject({ status: 'draft', engine: null, evidence: null, version: 1 });
    expect(written.sectionsFilled).toEqual(['Summary']);
    expect((await request('POST', `/api/tickets/${id}/rca/approve`, {})).status).toBe(200);
    const report = (await (
      await request('GET', '/api/rca/effectiveness?tenant=demo&window=1h')
    ).json()) as RcaEffectiveness;
    expect(report.withDraft.tickets).toBe(0);
    expect(report.withoutDraft).toMatchObject({ tickets: 1, approved: 1, rejected: 0 });
    expect(report.withoutDraft.sectionsFilledShare).toBe(1 / 8);
    expect(report.withoutDraft.meanEditDistanceRatio).toBeNull();
    expect(report.withoutDraft.medianSecondsToApproved).toBeGreaterThanOrEqual(0);
  });
});
