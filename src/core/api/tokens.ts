// Access tokens over REST (docs/API.md, "Tokens"): the admin CLI issues them; any server of a
// cluster revokes one, and every server closes its connections at once.

/** POST /api/tokens/{tokenId}/revoke (admin). */
export interface TokenRevocation {
  tokenId: string;
  /** The token had been revoked before this request: nothing changed. */
  alreadyRevoked: boolean;
}
