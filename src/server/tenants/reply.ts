// How a route answers a refusal of access: `{error, message}` with its status, and for 401 and
// 403 the RFC 6750 challenge, the same on every route.
import type { FastifyReply } from 'fastify';
import type { ErrorBody } from '../../core/api/errors';
import type { Refusal } from './access';

export function sendRefusal(reply: FastifyReply, refusal: Refusal): FastifyReply {
  if (refusal.challenge) reply.header('www-authenticate', refusal.challenge);
  return reply
    .code(refusal.status)
    .send({ error: refusal.error, message: refusal.message } satisfies ErrorBody);
}
