// The RCA routes' entries of the tickets API's route table (table.ts spreads them in): served and
// documented from this one list.
import type { RouteSpec } from '../openapi';
import { ErrorSchema, TicketIdParams } from '../schemas';
import {
  RcaApproveBodySchema,
  RcaDraftBodySchema,
  RcaEditBodySchema,
  RcaEffectivenessQuery,
  RcaEffectivenessSchema,
  RcaRejectBodySchema,
  RcaSchema,
} from '../../rca/schemas';

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as Record<number, object>;

export const RCA_ROUTES = {
  draftRca: {
    method: 'POST',
    url: '/api/tickets/:id/rca',
    operationId: 'draftRca',
    summary: "Start or regenerate the ticket's RCA draft (202; GET it until status is draft)",
    description:
      'Collects the evidence and drafts with the configured engine in the background. A ' +
      'reviewed RCA starts a new revision; one being drafted answers 202 as it is.',
    auth: 'write',
    tag: 'rca',
    schema: {
      params: TicketIdParams,
      body: RcaDraftBodySchema,
      response: { 202: RcaSchema, ...errors(400, 401, 403, 404, 413, 415) },
    },
  },
  getRca: {
    method: 'GET',
    url: '/api/tickets/:id/rca',
    operationId: 'getRca',
    summary: "The ticket's RCA: status, Markdown, engine, evidence, every version and review",
    auth: 'scope',
    tag: 'rca',
    schema: {
      params: TicketIdParams,
      response: { 200: RcaSchema, ...errors(400, 401, 403, 404) },
    },
  },
  editRca: {
    method: 'PUT',
    url: '/api/tickets/:id/rca',
    operationId: 'editRca',
    summary: 'Save an edit as a new version (an approved or rejected RCA starts a new review)',
    auth: 'write',
    tag: 'rca',
    schema: {
      params: TicketIdParams,
      body: RcaEditBodySchema,
      response: { 200: RcaSchema, ...errors(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  approveRca: {
    method: 'POST',
    url: '/api/tickets/:id/rca/approve',
    operationId: 'approveRca',
    summary: 'Approve the RCA as it stands; the approved text is never changed afterwards',
    auth: 'write',
    tag: 'rca',
    schema: {
      params: TicketIdParams,
      body: RcaApproveBodySchema,
      response: { 200: RcaSchema, ...errors(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  rejectRca: {
    method: 'POST',
    url: '/api/tickets/:id/rca/reject',
    operationId: 'rejectRca',
    summary: 'Reject the RCA with a reason',
    auth: 'write',
    tag: 'rca',
    schema: {
      params: TicketIdParams,
      body: RcaRejectBodySchema,
      response: { 200: RcaSchema, ...errors(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  rcaEffectiveness: {
    method: 'GET',
    url: '/api/rca/effectiveness',
    operationId: 'getRcaEffectiveness',
    summary:
      'Tickets with a draft against tickets without: time to an approved RCA, sections filled',
    auth: 'scope',
    tag: 'rca',
    schema: {
      querystring: RcaEffectivenessQuery,
      response: { 200: RcaEffectivenessSchema, ...errors(400, 401, 403, 404) },
    },
  },
} satisfies Record<string, RouteSpec>;
