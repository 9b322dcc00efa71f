// Whether the signed-in caller may change a tenant's tickets, from GET /api/session, and if not,
// why in the operator's terms: the page disables acknowledge, resolve and note with the reason
// instead of letting a viewer submit and meet a 403.
import type { SessionInfo } from '../../core/api/session';

export type WriteAccess =
  | { allowed: true }
  | { allowed: false; pending: boolean; reason: string; testReason: WriteRefusal };

/** Why changing is not offered: for tests and styling, next to the sentence. */
export type WriteRefusal = 'checking' | 'anonymous' | 'viewer' | 'not-granted';

/**
 * `session` undefined while it loads; null when it could not be read (the server then judges the
 * change itself, and its answer is shown).
 */
export function ticketWriteAccess(
  session: SessionInfo | null | undefined,
  tenant: string,
): WriteAccess {
  if (session === null) return { allowed: true };
  if (session === undefined)
    return {
      allowed: false,
      pending: true,
      reason: 'Checking what your token may change…',
      testReason: 'checking',
    };
  if (session.write.includes(tenant)) return { allowed: true };
  const quoted = `“${tenant}”`;
  if (session.token === null)
    return {
      allowed: false,
      pending: false,
      reason: `Sign in with an operator token that grants tenant ${quoted} to change its tickets (token… in the header).`,
      testReason: 'anonymous',
    };
  if (session.token.role === 'viewer')
    return {
      allowed: false,
      pending: false,
      reason: `Your token “${session.token.name}” is a viewer: it reads tickets; acknowledging, resolving and notes need the operator role.`,
      testReason: 'viewer',
    };
  return {
    allowed: false,
    pending: false,
    reason: `Your token “${session.token.name}” does not grant tenant ${quoted}: changing its tickets needs a token that grants it by name.`,
    testReason: 'not-granted',
  };
}
