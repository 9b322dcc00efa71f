import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBPROTOCOL } from '../../core/wire/envelope';
import type { TokenRevocation } from '../../core/api/tokens';
import { NodeStreamClient } from '../../testing/node-stream-client';
import { startTenantServer, type TestServer } from '../../testing/test-server';

let server: TestServer;

beforeAll(async () => {
  // Polls for the admin CLI's writes only once a minute: what closes sockets here is the route.
  server = await startTenantServer({ pollIntervalMs: 60_000 });
});
afterAll(async () => server?.close());

const revoke = (tokenId: string, authorization?: string): Promise<Response> =>
  fetch(`${server.url}/api/tokens/${tokenId}/revoke`, {
    method: 'POST',
    headers: authorization ? { authorization } : {},
  });

describe('POST /api/tokens/{tokenId}/revoke', () => {
  it("revokes a token and closes its connections at once, as an admin's write", async () => {
    const admin = server.issueToken(['demo'], 'root', 'admin');
    const viewer = server.issueToken(['demo'], 'partner');
    const client = new NodeStreamClient({
      url: server.wsUrl,
      protocols: [SUBPROTOCOL, `bearer.${viewer.token}`],
    });
    client.start();
    await expect.poll(() => client.framesDecoded, { timeout: 10_000 }).toBeGreaterThan(3);

    const response = await revoke(viewer.tokenId, `Bearer ${admin.token}`);
    expect(response.status).toBe(200);
    expect((await response.json()) as TokenRevocation).toEqual({
      tokenId: viewer.tokenId,
      alreadyRevoked: false,
    });
    // Long before the server's next poll (a minute away): the route closed it.
    await expect.poll(() => client.lastCloseCode, { timeout: 10_000 }).toBe(4401);
    client.stop();

    const again = await revoke(viewer.tokenId, `Bearer ${admin.token}`);
    expect(await again.json()).toEqual({ tokenId: viewer.tokenId, alreadyRevoked: true });
    // The revoked token is refused on REST too.
    const session = await fetch(`${server.url}/api/session`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(session.status).toBe(401);
  });

  it('refuses without an admin token, and says what is wrong with the id', async () => {
    const operator = server.issueToken(['demo'], 'ops', 'operator');
    const admin = server.issueToken(['demo'], 'root2', 'admin');
    const target = server.issueToken(['demo'], 'target');
    expect((await revoke(target.tokenId)).status).toBe(401);
    expect((await revoke(target.tokenId, `Bearer ${operator.token}`)).status).toBe(403);
    const unknown = await revoke('tok_0000000000000000', `Bearer ${admin.token}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ message: 'no token tok_0000000000000000' });
    const malformed = await revoke('tok_XYZ', `Bearer ${admin.token}`);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toContain('tokenId');
    // Nothing of the refused requests revoked it.
    const still = await fetch(`${server.url}/api/session`, {
      headers: { authorization: `Bearer ${target.token}` },
    });
    expect(still.status).toBe(200);
  });
});
