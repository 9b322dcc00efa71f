// Revoking a token over REST (admin): the server that answers rereads its tokens and closes the
// token's connections at once, and tells the other servers of a cluster to do the same (over
// NATS), so the token stops everywhere within a second, not at each server's next poll.
import type { TokenRevocation } from '../../core/api/tokens';
import { HttpError } from '../incidents/routes/http-error';
import type { OpsContext } from './context';
import { addOpsRoute } from './table';

export type RevokeToken = (tokenId: string) => Promise<'revoked' | 'already-revoked' | 'unknown'>;

export function registerTokenRoutes(context: OpsContext, revoke: RevokeToken): void {
  addOpsRoute(context, 'revokeToken', async (request) => {
    const { actor } = context.requireAdmin(request);
    const { tokenId } = request.params as { tokenId: string };
    const outcome = await revoke(tokenId);
    if (outcome === 'unknown') throw new HttpError(404, `no token ${tokenId}`);
    request.log.info({ tokenId, actor }, 'token revoked');
    return { tokenId, alreadyRevoked: outcome === 'already-revoked' } satisfies TokenRevocation;
  });
}
