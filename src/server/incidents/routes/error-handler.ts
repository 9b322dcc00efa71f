// Every failure of a tickets route answers core/api's ErrorBody, `{ error, message }`, with the
// codes docs/API.md lists; a fault of the server is logged and answers 500 without details.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../../../core/api/errors';
import { TicketError, type TicketErrorCode } from '../store';
import { TicketBurstError } from '../ticket-burst';
import { WindowError } from '../windows';
import { HttpError } from './http-error';
import { validationMessage } from './validation-message';

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal',
};

const TICKET_ERROR_STATUS: Record<TicketErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  too_large: 413,
};

function statusAndMessage(
  error: FastifyError,
  request: FastifyRequest,
): { status: number; message: string; headers?: Readonly<Record<string, string>> } {
  if (error.validation) return { status: 400, message: validationMessage(error, request) };
  if (error instanceof TicketError) {
    return { status: TICKET_ERROR_STATUS[error.code], message: error.message };
  }
  if (error instanceof WindowError) {
    return { status: 400, message: error.message.replace(/^\[kaizen\] /, '') };
  }
  if (error instanceof TicketBurstError) {
    return {
      status: 429,
      message: error.message,
      headers: { 'retry-after': String(error.retryAfterS) },
    };
  }
  if (error instanceof HttpError) {
    return { status: error.status, message: error.message, headers: error.headers };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    // Body too large, bad JSON, wrong content type.
    return { status: error.statusCode, message: error.message };
  }
  request.log.error(error);
  return { status: 500, message: 'internal error; the server log has the details' };
}

export function ticketRoutesErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const { status, message, headers = {} } = statusAndMessage(error, request);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  return reply
    .code(status)
    .send({ error: ERROR_CODES[status] ?? 'error', message } satisfies ErrorBody);
}
